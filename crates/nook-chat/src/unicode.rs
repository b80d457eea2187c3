//! Character classes as llama.cpp's pre-tokenizers see them, and GPT-2's
//! byte ↔ character mapping.

use unicode_general_category::{get_general_category, GeneralCategory as G};

/// What a pre-tokenizer asks of a character. A position past the end of
/// the text has no class at all ([`Class::NONE`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Class {
    pub letter: bool,
    pub number: bool,
    pub whitespace: bool,
    /// A combining mark (Mn, Mc, Me).
    pub mark: bool,
    /// Punctuation (P*).
    pub punctuation: bool,
    /// A real character (false only for "past the end").
    pub present: bool,
}

impl Class {
    pub const NONE: Class = Class { letter: false, number: false, whitespace: false, mark: false, punctuation: false, present: false };

    pub fn of(c: char) -> Class {
        let category = get_general_category(c);
        Class {
            letter: matches!(category, G::UppercaseLetter | G::LowercaseLetter | G::TitlecaseLetter | G::ModifierLetter | G::OtherLetter),
            number: matches!(category, G::DecimalNumber | G::LetterNumber | G::OtherNumber),
            // Unicode's White_Space property, as llama.cpp's table.
            whitespace: c.is_whitespace(),
            mark: matches!(category, G::NonspacingMark | G::SpacingMark | G::EnclosingMark),
            punctuation: matches!(
                category,
                G::ConnectorPunctuation
                    | G::DashPunctuation
                    | G::OpenPunctuation
                    | G::ClosePunctuation
                    | G::InitialPunctuation
                    | G::FinalPunctuation
                    | G::OtherPunctuation
            ),
            present: true,
        }
    }

    pub fn at(chars: &[char], pos: usize) -> Class {
        chars.get(pos).map_or(Class::NONE, |&c| Class::of(c))
    }
}

/// GPT-2's printable stand-in for a byte: printable Latin-1 bytes stand for
/// themselves, the other 68 take the characters from U+0100 on, in order.
pub(crate) fn byte_to_char(byte: u8) -> char {
    BYTE_TO_CHAR[byte as usize]
}

/// The byte a GPT-2 stand-in character means, if it is one.
pub(crate) fn char_to_byte(c: char) -> Option<u8> {
    let code = c as u32;
    if code < 256 && is_printable(code as u8) {
        return Some(code as u8);
    }
    let index = code.checked_sub(256)?;
    (0..=255u8).filter(|&b| !is_printable(b)).nth(index as usize)
}

fn is_printable(byte: u8) -> bool {
    matches!(byte, b'!'..=b'~' | 0xA1..=0xAC | 0xAE..=0xFF)
}

static BYTE_TO_CHAR: [char; 256] = {
    let mut table = ['\0'; 256];
    let mut next = 256u32;
    let mut byte = 0usize;
    while byte < 256 {
        let b = byte as u8;
        let printable = matches!(b, b'!'..=b'~' | 0xA1..=0xAC | 0xAE..=0xFF);
        let code = if printable {
            byte as u32
        } else {
            next += 1;
            next - 1
        };
        table[byte] = match char::from_u32(code) {
            Some(c) => c,
            None => '\0',
        };
        byte += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gpt2_maps_space_and_newline_to_the_characters_its_vocabularies_use() {
        assert_eq!(byte_to_char(b' '), 'Ġ');
        assert_eq!(byte_to_char(b'\n'), 'Ċ');
        assert_eq!(byte_to_char(b'a'), 'a');
        assert_eq!(byte_to_char(0xAD), 'Ń', "the last of the 68 moved bytes");
    }

    #[test]
    fn every_byte_maps_to_a_distinct_character_and_back() {
        let mut seen = std::collections::HashSet::new();
        for byte in 0..=255u8 {
            let c = byte_to_char(byte);
            assert!(seen.insert(c), "{byte} maps to {c:?} twice");
            assert_eq!(char_to_byte(c), Some(byte));
        }
        assert_eq!(char_to_byte('€'), None);
    }

    #[test]
    fn classes_follow_unicode_categories() {
        assert!(Class::of('é').letter && Class::of('中').letter);
        assert!(Class::of('7').number && Class::of('٣').number && Class::of('½').number);
        assert!(Class::of('\u{3000}').whitespace && Class::of('\n').whitespace);
        // Marks are not letters, though Rust's is_alphabetic says a vowel
        // sign is.
        assert!(!Class::of('\u{0301}').letter && !Class::of('\u{093F}').letter);
        assert!('\u{093F}'.is_alphabetic());
        assert_eq!(Class::at(&['a'], 1), Class::NONE);
    }
}
