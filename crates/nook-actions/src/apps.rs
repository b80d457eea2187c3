//! The installed applications, from their freedesktop.org desktop entries
//! (`applications/*.desktop` under `$XDG_DATA_HOME` and each of
//! `$XDG_DATA_DIRS`). An entry gives the name, generic name, comment,
//! categories and keywords the engine matches a request against by meaning,
//! and the `Exec` line, split into an argument vector here: an application
//! is started directly, never through a shell.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// One installed application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct App {
    /// The desktop file id: `libreoffice-calc.desktop` → `libreoffice-calc`;
    /// a file in a subfolder joins with `-` (`kde/okular.desktop` → `kde-okular`).
    pub id: String,
    pub name: String,
    pub generic_name: Option<String>,
    pub comment: Option<String>,
    pub categories: Vec<String>,
    pub keywords: Vec<String>,
    /// The `Exec` line as written.
    pub exec: String,
    /// Runs in a terminal emulator.
    pub terminal: bool,
    /// The entry's file.
    pub file: PathBuf,
}

impl App {
    /// The words the engine compares a request with: "LibreOffice Calc.
    /// Spreadsheet. Perform calculations… Office, Spreadsheet. calc, excel".
    pub fn description(&self) -> String {
        let mut parts = vec![self.name.clone()];
        parts.extend(self.generic_name.clone());
        parts.extend(self.comment.clone());
        if !self.categories.is_empty() {
            parts.push(self.categories.join(", "));
        }
        if !self.keywords.is_empty() {
            parts.push(self.keywords.join(", "));
        }
        parts.join(". ")
    }

    /// Whether the entry is a terminal emulator.
    pub fn is_terminal_emulator(&self) -> bool {
        self.categories.iter().any(|c| c == "TerminalEmulator")
    }

    /// The program and arguments that start it, with no file to open: the
    /// `Exec` line split as the specification says, its field codes dropped.
    pub fn argv(&self) -> Result<Vec<String>, String> {
        exec_argv(&self.exec, &self.name, &self.file)
    }
}

/// The `applications` folders, most important first: `$XDG_DATA_HOME`
/// (`~/.local/share`), then each of `$XDG_DATA_DIRS` (`/usr/local/share`,
/// `/usr/share` when unset).
pub fn application_dirs(data_home: Option<&Path>, data_dirs: Option<&str>) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = data_home.map(|h| h.join("applications")).into_iter().collect();
    let data_dirs = data_dirs.filter(|d| !d.trim().is_empty()).unwrap_or("/usr/local/share:/usr/share");
    dirs.extend(data_dirs.split(':').filter(|d| d.starts_with('/')).map(|d| Path::new(d).join("applications")));
    dirs
}

/// The applications installed in `dirs` (see [`application_dirs`]): an id
/// found in an earlier folder hides the same id in later ones; hidden
/// entries (`NoDisplay`, `Hidden`) and those that do not parse are left out.
pub fn installed(dirs: &[PathBuf]) -> Vec<App> {
    let mut seen = HashSet::new();
    let mut apps = Vec::new();
    for dir in dirs {
        let mut files = Vec::new();
        collect(dir, dir, &mut files);
        files.sort();
        for (id, file) in files {
            if !seen.insert(id.clone()) {
                continue;
            }
            let Ok(text) = fs::read_to_string(&file) else { continue };
            if let Some(app) = parse_entry(&id, &text, &file) {
                apps.push(app);
            }
        }
    }
    apps
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            collect(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "desktop") {
            let Ok(relative) = path.strip_prefix(root) else { continue };
            let id = relative.with_extension("").to_string_lossy().replace('/', "-");
            out.push((id, path));
        }
    }
}

/// Reads a desktop entry; `None` unless it is a visible application.
pub fn parse_entry(id: &str, text: &str, file: &Path) -> Option<App> {
    let mut in_entry = false;
    let mut get = std::collections::HashMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('[') {
            in_entry = line == "[Desktop Entry]";
            continue;
        }
        if !in_entry {
            continue;
        }
        // Localized keys (`Name[fr]`) are left for the unlocalized one.
        if let Some((key, value)) = line.split_once('=') {
            let key = key.trim();
            if !key.contains('[') {
                get.entry(key.to_string()).or_insert_with(|| unescape(value.trim()));
            }
        }
    }
    let yes = |key: &str| get.get(key).is_some_and(|v| v == "true");
    if get.get("Type").map(String::as_str) != Some("Application") || yes("NoDisplay") || yes("Hidden") {
        return None;
    }
    let list = |key: &str| -> Vec<String> {
        get.get(key).map(|v| v.split(';').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()).unwrap_or_default()
    };
    Some(App {
        id: id.to_string(),
        name: get.get("Name")?.clone(),
        generic_name: get.get("GenericName").cloned(),
        comment: get.get("Comment").cloned(),
        categories: list("Categories"),
        keywords: list("Keywords"),
        exec: get.get("Exec")?.clone(),
        terminal: yes("Terminal"),
        file: file.to_path_buf(),
    })
}

/// The escapes of a desktop entry's string values.
fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('s') => out.push(' '),
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Splits an `Exec` value into arguments: double quotes group, `\` escapes
/// inside them; field codes are dropped (`%f`, `%U`…), `%c` becomes the
/// name, `%k` the entry's file, `%%` a percent sign.
pub fn exec_argv(exec: &str, name: &str, file: &Path) -> Result<Vec<String>, String> {
    let mut words: Vec<(String, bool)> = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quoted = false;
    let mut chars = exec.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                in_word = true;
                quoted = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => word.push(chars.next().ok_or("the Exec line ends inside quotes")?),
                        Some(c) => word.push(c),
                        None => return Err("a quote in the Exec line is not closed".into()),
                    }
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push((std::mem::take(&mut word), quoted));
                    in_word = false;
                    quoted = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push((word, quoted));
    }
    let mut argv = Vec::new();
    for (word, quoted) in words {
        if quoted {
            argv.push(word);
            continue;
        }
        match word.as_str() {
            "%f" | "%F" | "%u" | "%U" | "%d" | "%D" | "%n" | "%N" | "%v" | "%m" | "%i" => continue,
            "%c" => argv.push(name.to_string()),
            "%k" => argv.push(file.display().to_string()),
            _ => {
                let mut out = String::new();
                let mut chars = word.chars().peekable();
                while let Some(c) = chars.next() {
                    if c == '%' {
                        match chars.next() {
                            Some('%') => out.push('%'),
                            Some('c') => out.push_str(name),
                            Some('k') => out.push_str(&file.display().to_string()),
                            Some(_) | None => {}
                        }
                    } else {
                        out.push(c);
                    }
                }
                if !out.is_empty() {
                    argv.push(out);
                }
            }
        }
    }
    if argv.is_empty() {
        return Err("the Exec line names no program".into());
    }
    Ok(argv)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CALC: &str = "[Desktop Entry]\nVersion=1.0\nType=Application\nName=LibreOffice Calc\nName[fr]=LibreOffice Calc FR\n\
GenericName=Spreadsheet\nComment=Perform calculations, analyze information and manage lists in spreadsheets.\n\
Categories=Office;Spreadsheet;X-Red-Hat-Base;\nKeywords=Accounting;Stats;OpenDocument Spreadsheet;Excel;\n\
Exec=libreoffice --calc %U\nTerminal=false\n\n[Desktop Action NewDocument]\nName=New Spreadsheet\nExec=libreoffice --calc private:factory/scalc\n";

    #[test]
    fn an_entry_gives_its_words_and_its_program() {
        let app = parse_entry("libreoffice-calc", CALC, Path::new("/usr/share/applications/libreoffice-calc.desktop")).unwrap();
        assert_eq!(app.name, "LibreOffice Calc");
        assert_eq!(app.generic_name.as_deref(), Some("Spreadsheet"));
        assert_eq!(app.categories, ["Office", "Spreadsheet", "X-Red-Hat-Base"]);
        assert_eq!(app.keywords, ["Accounting", "Stats", "OpenDocument Spreadsheet", "Excel"]);
        assert_eq!(app.argv().unwrap(), ["libreoffice", "--calc"]);
        assert!(app.description().starts_with("LibreOffice Calc. Spreadsheet. Perform calculations"));
    }

    #[test]
    fn hidden_entries_and_other_types_are_not_applications() {
        let hidden = CALC.replace("Terminal=false", "NoDisplay=true");
        assert!(parse_entry("x", &hidden, Path::new("/x.desktop")).is_none());
        let link = CALC.replace("Type=Application", "Type=Link");
        assert!(parse_entry("x", &link, Path::new("/x.desktop")).is_none());
        assert!(parse_entry("x", "[Desktop Entry]\nType=Application\nName=No exec\n", Path::new("/x.desktop")).is_none());
    }

    #[test]
    fn exec_lines_split_into_arguments_without_a_shell() {
        let file = Path::new("/usr/share/applications/t.desktop");
        assert_eq!(exec_argv(r#""/opt/My App/run" --name %c --file %k %F"#, "My App", file).unwrap(), ["/opt/My App/run", "--name", "My App", "--file", "/usr/share/applications/t.desktop"]);
        assert_eq!(exec_argv(r#"sh -c "echo \"hi\"; rm -rf ~" 100%%"#, "x", file).unwrap(), ["sh", "-c", "echo \"hi\"; rm -rf ~", "100%"]);
        assert!(exec_argv("%U", "x", file).is_err());
        assert!(exec_argv("\"open", "x", file).is_err());
    }

    #[test]
    fn earlier_folders_hide_the_same_id_in_later_ones_and_subfolders_join_with_a_dash() {
        let dir = tempfile::Builder::new().prefix("nook-apps").tempdir().unwrap();
        let user = dir.path().join("user/applications");
        let system = dir.path().join("system/applications");
        fs::create_dir_all(user.join("kde")).unwrap();
        fs::create_dir_all(&system).unwrap();
        fs::write(system.join("libreoffice-calc.desktop"), CALC).unwrap();
        fs::write(user.join("libreoffice-calc.desktop"), CALC.replace("Name=LibreOffice Calc\n", "Name=My Calc\n")).unwrap();
        fs::write(user.join("kde/okular.desktop"), "[Desktop Entry]\nType=Application\nName=Okular\nExec=okular %U\n").unwrap();
        let dirs = application_dirs(Some(&dir.path().join("user")), Some(&format!("{}:relative/ignored", dir.path().join("system").display())));
        let apps = installed(&dirs);
        let names: Vec<(&str, &str)> = apps.iter().map(|a| (a.id.as_str(), a.name.as_str())).collect();
        assert_eq!(names, [("kde-okular", "Okular"), ("libreoffice-calc", "My Calc")]);
    }
}
