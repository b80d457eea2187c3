//! Cutting special tokens out of text before it is tokenized, as llama.cpp's
//! `tokenizer_st_partition` does: every control, user-defined and unknown
//! token, longest first, at each place its text occurs; a token that strips
//! to its right (Phi-3's) takes the white space after it along.

use crate::vocab::{TokenType, Vocab};

/// A stretch of the text still to tokenize, or a token already found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fragment<'a> {
    Text(&'a str),
    Token(u32),
}

/// The ids that can be cut out of text, in the order they are looked for:
/// longest text first, then lowest id.
pub(crate) fn cut_order(vocab: &Vocab) -> Vec<u32> {
    let mut ids: Vec<u32> = (0..vocab.tokens.len() as u32)
        .filter(|&id| matches!(vocab.types[id as usize], TokenType::Control | TokenType::UserDefined | TokenType::Unknown))
        .collect();
    ids.sort_by_key(|&id| std::cmp::Reverse(vocab.tokens[id as usize].len()));
    ids
}

/// Splits `text` at the special tokens in `order`. User-defined tokens are
/// always cut out; control and unknown ones only with `parse_special`
/// (otherwise `<|im_end|>` typed by a user stays plain text).
pub(crate) fn partition<'a>(text: &'a str, order: &[u32], vocab: &Vocab, parse_special: bool) -> Vec<Fragment<'a>> {
    let mut fragments = vec![Fragment::Text(text)];
    for &id in order {
        if !parse_special && vocab.types[id as usize] != TokenType::UserDefined {
            continue;
        }
        let needle = vocab.tokens[id as usize].as_str();
        if !fragments.iter().any(|f| matches!(f, Fragment::Text(t) if t.contains(needle))) {
            continue;
        }
        let mut cut = Vec::with_capacity(fragments.len() + 2);
        for fragment in fragments {
            let Fragment::Text(mut rest) = fragment else {
                cut.push(fragment);
                continue;
            };
            while let Some(at) = rest.find(needle) {
                if at > 0 {
                    cut.push(Fragment::Text(&rest[..at]));
                }
                cut.push(Fragment::Token(id));
                rest = &rest[at + needle.len()..];
                if vocab.strips_right.contains(&id) {
                    // C's isspace, as llama.cpp tests the bytes.
                    rest = rest.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
                }
            }
            if !rest.is_empty() {
                cut.push(Fragment::Text(rest));
            }
        }
        fragments = cut;
    }
    fragments
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::VocabSpec;
    use Fragment::{Text, Token};

    fn vocab() -> Vocab {
        Vocab::new(VocabSpec {
            model: "gpt2".into(),
            pre: Some("smollm".into()),
            tokens: ["<|endoftext|>", "<|im_start|>", "<b>", "<b>x", "a"].map(String::from).to_vec(),
            token_types: vec![3, 3, 4, 4, 1],
            ..VocabSpec::default()
        })
        .unwrap()
    }

    #[test]
    fn control_tokens_are_cut_out_only_when_asked() {
        let v = vocab();
        let order = cut_order(&v);
        let text = "hi<|im_start|>you<|endoftext|>";
        assert_eq!(partition(text, &order, &v, true), [Text("hi"), Token(1), Text("you"), Token(0)]);
        assert_eq!(partition(text, &order, &v, false), [Text(text)]);
    }

    #[test]
    fn user_defined_tokens_are_always_cut_out_longest_first() {
        let v = vocab();
        let order = cut_order(&v);
        assert_eq!(order[..2], [0, 1], "longest texts first");
        assert_eq!(partition("<b>x<b><b>", &order, &v, false), [Token(3), Token(2), Token(2)]);
    }

    #[test]
    fn phi_3_tokens_swallow_the_white_space_after_them() {
        let spec = |name: &str| VocabSpec {
            model: "gpt2".into(),
            pre: Some("smollm".into()),
            tokens: ["<|user|>", "<|endoftext|>", "a"].map(String::from).to_vec(),
            token_types: vec![3, 3, 1],
            name: Some(name.into()),
            ..VocabSpec::default()
        };
        let phi = Vocab::new(spec("Phi 3.5 Mini Instruct (phi3)")).unwrap();
        let order = cut_order(&phi);
        assert_eq!(partition("<|user|>\n hi<|endoftext|> x", &order, &phi, true), [Token(0), Text("hi"), Token(1), Text(" x")]);
        let other = Vocab::new(spec("Llama")).unwrap();
        assert_eq!(partition("<|user|>\n hi", &cut_order(&other), &other, true), [Token(0), Text("\n hi")]);
    }

    #[test]
    fn text_without_special_tokens_is_one_fragment() {
        let v = vocab();
        assert_eq!(partition("plain", &cut_order(&v), &v, true), [Text("plain")]);
        assert_eq!(partition("", &cut_order(&v), &v, true), [Text("")]);
    }
}
