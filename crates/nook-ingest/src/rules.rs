//! What Nook does not read, decided from a name or the first bytes of a file.

use std::fmt;

/// Why a file or folder is left out of the index. The `Display` text is what
/// `nook status` shows, so it says what the rule is in plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    Hidden,
    /// Excluded by a `.gitignore` (the file that excluded it).
    GitIgnored { ignore_file: String },
    /// A folder Nook never descends into (`node_modules`, `target`, …).
    ExcludedFolder,
    /// Looks like a credential: keys, key stores, `.env` files.
    Secret,
    /// Not text: recognised by its first bytes.
    Binary { format: &'static str },
    TooLarge { size: u64, limit: u64 },
    /// A symbolic link that leads back to one of its own parent folders.
    SymlinkLoop { target: String },
    /// The path cannot be represented as UTF-8 text.
    NonUtf8Path,
    /// Nothing but white space: no text to index.
    Empty,
    /// A symbolic link leading outside the folder being indexed.
    LinkOutside { target: String },
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::Hidden => f.write_str("hidden file or folder"),
            SkipReason::GitIgnored { ignore_file } => write!(f, "excluded by {ignore_file}"),
            SkipReason::ExcludedFolder => {
                f.write_str("folder of build output or dependencies (never indexed)")
            }
            SkipReason::Secret => f.write_str("looks like a secret (key, key store or .env); never indexed"),
            SkipReason::Binary { format } => write!(f, "binary content ({format}), not text"),
            SkipReason::TooLarge { size, limit } => write!(
                f,
                "too large: {} MiB, the limit is {} MiB",
                mib(*size),
                mib(*limit)
            ),
            SkipReason::SymlinkLoop { target } => write!(f, "symbolic link loop back to {target}"),
            SkipReason::NonUtf8Path => f.write_str("the path is not valid UTF-8"),
            SkipReason::Empty => f.write_str("empty: no text to index"),
            SkipReason::LinkOutside { target } => {
                write!(f, "symbolic link to {target}, outside the indexed folder")
            }
        }
    }
}

fn mib(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}

/// Folders whose content is generated or vendored, never the user's own.
const EXCLUDED_FOLDERS: &[&str] = &["node_modules", "target", "__pycache__", "bower_components"];

/// Whether a folder of this name is never descended into.
pub fn is_excluded_folder(name: &str) -> bool {
    EXCLUDED_FOLDERS.contains(&name)
}

pub fn is_hidden(name: &str) -> bool {
    name.starts_with('.')
}

/// Whether a file of this name is an editor's or a program's short-lived
/// file: a swap, backup or lock file, a save written aside before it
/// replaces the real file, a download in progress. Such files are neither
/// indexed nor recorded; the file they stand for is.
pub fn is_transient(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let suffixes = [".swp", ".swo", ".swx", ".kate-swp", ".part", ".crdownload", ".tmp", "~"];
    let prefixes = [".goutputstream-", ".#", ".~lock.", "~$", ".nfs", ".syncthing."];
    // Vim writes `4913` (and the next free number) to test that a folder is
    // writable; Emacs autosaves to `#name#`.
    lower == "4913"
        || (lower.starts_with('#') && lower.ends_with('#') && lower.len() > 1)
        || suffixes.iter().any(|s| lower.ends_with(s))
        || prefixes.iter().any(|p| lower.starts_with(p))
}

/// Whether a file of this name is likely to hold a credential.
pub fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let exact = [".env", ".netrc", ".pgpass", "credentials", ".npmrc", ".pypirc", ".htpasswd"];
    let prefixes = ["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", ".env."];
    let extensions = [
        "pem", "key", "p12", "pfx", "jks", "keystore", "kdbx", "ppk", "gpg", "pgp", "asc", "crt",
        "cer", "der", "p8",
    ];
    exact.contains(&lower.as_str())
        || prefixes.iter().any(|p| lower.starts_with(p))
        || lower.ends_with(".env")
        || lower
            .rsplit_once('.')
            .is_some_and(|(_, ext)| extensions.contains(&ext))
}

/// Whether text content carries a private key block, whatever the file name.
pub fn contains_private_key(text: &str) -> bool {
    text.contains("-----BEGIN") && text.contains("PRIVATE KEY-----")
}

/// Magic numbers of common binary formats, with the name shown to the user.
const MAGIC: &[(usize, &[u8], &str)] = &[
    (0, b"\x89PNG\r\n\x1a\n", "PNG image"),
    (0, b"\xff\xd8\xff", "JPEG image"),
    (0, b"GIF87a", "GIF image"),
    (0, b"GIF89a", "GIF image"),
    (0, b"%PDF-", "PDF document"),
    (0, b"PK\x03\x04", "ZIP archive or Office document"),
    (0, b"PK\x05\x06", "ZIP archive"),
    (0, b"\x1f\x8b", "gzip archive"),
    (0, b"BZh", "bzip2 archive"),
    (0, b"\xfd7zXZ\x00", "xz archive"),
    (0, b"\x28\xb5\x2f\xfd", "zstd archive"),
    (0, b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (0, b"Rar!\x1a\x07", "RAR archive"),
    (0, b"\x7fELF", "ELF executable"),
    (0, b"MZ", "Windows executable"),
    (0, b"\xca\xfe\xba\xbe", "Java class or Mach-O binary"),
    (0, b"\xcf\xfa\xed\xfe", "Mach-O binary"),
    (0, b"\x00asm", "WebAssembly module"),
    (0, b"SQLite format 3\x00", "SQLite database"),
    (0, b"RIFF", "RIFF media (WAV, AVI or WebP)"),
    (0, b"OggS", "Ogg media"),
    (0, b"fLaC", "FLAC audio"),
    (0, b"ID3", "MP3 audio"),
    (0, b"\x1a\x45\xdf\xa3", "Matroska or WebM video"),
    (4, b"ftyp", "MP4 or QuickTime media"),
    (0, b"II*\x00", "TIFF image"),
    (0, b"MM\x00*", "TIFF image"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document"),
    (0, b"wOFF", "web font"),
    (0, b"wOF2", "web font"),
    (0, b"\x00\x01\x00\x00\x00", "TrueType font"),
    (0, b"OTTO", "OpenType font"),
];

/// How a file's first bytes say it should be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniff {
    Utf8,
    Utf16Le,
    Utf16Be,
    Binary { format: &'static str },
}

/// Classifies content by its first bytes: a known binary signature, a UTF-16
/// byte-order mark, or NUL bytes (which text never has) decide; otherwise the
/// content is read as UTF-8, lossily.
pub fn sniff(head: &[u8]) -> Sniff {
    if head.starts_with(b"\xff\xfe") {
        return Sniff::Utf16Le;
    }
    if head.starts_with(b"\xfe\xff") {
        return Sniff::Utf16Be;
    }
    let window = &head[..head.len().min(8192)];
    // Control bytes other than tab, newline, form feed and carriage return
    // never occur in text.
    let has_control = window.iter().any(|&b| b < 0x08 || (0x0e..0x1a).contains(&b));
    for &(offset, magic, format) in MAGIC {
        if head.len() >= offset + magic.len() && &head[offset..offset + magic.len()] == magic {
            // A signature of printable characters ("MZ", "RIFF", "ID3") may
            // just be how a note begins: it counts only with binary bytes.
            let printable = magic.iter().all(|b| (0x20..0x7f).contains(b));
            if !printable || has_control {
                return Sniff::Binary { format };
            }
        }
    }
    if window.contains(&0) {
        return Sniff::Binary { format: "data with NUL bytes" };
    }
    Sniff::Utf8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editors_short_lived_files_are_transient() {
        for name in [
            ".notes.md.swp", ".notes.md.swx", "notes.md~", "4913", "#notes.md#", ".#notes.md",
            ".goutputstream-QX12Z0", ".~lock.report.odt#", "~$report.docx", "film.mkv.part",
            "setup.iso.crdownload", "draft.tmp", "notes.md.kate-swp",
        ] {
            assert!(is_transient(name), "{name} should be transient");
        }
        for name in ["notes.md", "4913.txt", "report#1.md", "swp.md", "partial.md", "c#.md"] {
            assert!(!is_transient(name), "{name} should not be transient");
        }
    }

    #[test]
    fn secrets_are_recognised_by_name() {
        for name in [".env", ".env.local", "prod.env", "id_rsa", "id_ed25519.pub", "server.pem", "tls.KEY", "store.jks", "vault.kdbx"] {
            assert!(is_secret_name(name), "{name} should be secret");
        }
        for name in ["environment.md", "keys.txt", "monkey.rs", "README"] {
            assert!(!is_secret_name(name), "{name} should not be secret");
        }
    }

    #[test]
    fn private_key_blocks_are_secret_whatever_the_name() {
        assert!(contains_private_key("x\n-----BEGIN OPENSSH PRIVATE KEY-----\nabc"));
        assert!(!contains_private_key("-----BEGIN CERTIFICATE-----"));
    }

    #[test]
    fn binaries_are_recognised_by_magic_bytes_not_extension() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Sniff::Binary { format: "PNG image" });
        assert_eq!(sniff(b"\x7fELF\x02\x01"), Sniff::Binary { format: "ELF executable" });
        assert_eq!(sniff(b"\x00\x00\x00\x18ftypmp42"), Sniff::Binary { format: "MP4 or QuickTime media" });
        assert_eq!(sniff(b"hello\x00world"), Sniff::Binary { format: "data with NUL bytes" });
    }

    #[test]
    fn notes_that_begin_like_a_signature_are_still_text() {
        assert_eq!(sniff(b"MZ is the tag of old executables"), Sniff::Utf8);
        assert_eq!(sniff(b"RIFF stands for resource interchange"), Sniff::Utf8);
        assert_eq!(sniff(b"RIFF\x24\x08\x00\x00WAVEfmt "), Sniff::Binary { format: "RIFF media (WAV, AVI or WebP)" });
    }

    #[test]
    fn text_and_utf16_are_text() {
        assert_eq!(sniff(b"plain text, caf\xc3\xa9"), Sniff::Utf8);
        assert_eq!(sniff(b"invalid \xff\xfe utf-8 in the middle"), Sniff::Utf8);
        assert_eq!(sniff(b"\xff\xfeh\x00i\x00"), Sniff::Utf16Le);
        assert_eq!(sniff(b""), Sniff::Utf8);
    }

    #[test]
    fn reasons_read_as_sentences() {
        let reason = SkipReason::TooLarge { size: 30 * 1024 * 1024, limit: 10 * 1024 * 1024 };
        assert_eq!(reason.to_string(), "too large: 30.0 MiB, the limit is 10.0 MiB");
        assert!(is_excluded_folder("node_modules") && !is_excluded_folder("notes"));
        assert!(is_hidden(".git") && !is_hidden("git"));
    }
}
