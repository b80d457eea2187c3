//! Finding and checking the models the set-up installed.
//!
//! `assets/models.json` is the one list of default models: the set-up script
//! fetches from it, and this module checks files against the same hashes.
//! Hashing 90 MB on every start would cost time, so a successful check leaves
//! a stamp (size and modification time of each file); an unchanged file is not
//! hashed again.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{EngineError, NookPaths};

/// The command that fetches the default models, named in every model error.
pub const FETCH_COMMAND: &str = "bash scripts/setup.sh --models";

const MANIFEST: &str = include_str!("../../../assets/models.json");
const STAMP: &str = ".nook-verified";

#[derive(Debug, Clone, Deserialize)]
pub struct ModelSpec {
    pub name: String,
    pub task: String,
    pub package: String,
    pub version: String,
    pub dest: String,
    /// File name → sha256.
    pub files: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct Manifest {
    models: Vec<ModelSpec>,
}

/// The default models, as listed in `assets/models.json`.
pub fn default_models() -> Vec<ModelSpec> {
    serde_json::from_str::<Manifest>(MANIFEST)
        .expect("assets/models.json is valid (checked by a test)")
        .models
}

/// The default model for `task` ("embed" or "chat").
pub fn default_model(task: &str) -> ModelSpec {
    default_models()
        .into_iter()
        .find(|m| m.task == task)
        .unwrap_or_else(|| panic!("assets/models.json has a `{task}` model"))
}

/// The folder of the default embedding model, checked file by file.
pub fn embedding_model_dir(paths: &NookPaths) -> Result<PathBuf, EngineError> {
    let spec = default_model("embed");
    let found = paths.model_dirs.iter().map(|d| d.join(&spec.dest)).find(|d| d.is_dir());
    let Some(dir) = found else {
        return Err(EngineError::ModelMissing {
            model: spec.name.clone(),
            looked_in: paths.model_dirs.iter().map(|d| d.join(&spec.dest)).collect(),
        });
    };
    verify(&dir, &spec)?;
    Ok(dir)
}

/// Checks every file of `spec` in `dir` against its sha256.
pub fn verify(dir: &Path, spec: &ModelSpec) -> Result<(), EngineError> {
    let stamp_path = dir.join(STAMP);
    let old_stamp = fs::read_to_string(&stamp_path).unwrap_or_default();
    let mut new_stamp = String::new();
    for (name, expected) in &spec.files {
        let path = dir.join(name);
        let meta = fs::metadata(&path).map_err(|_| EngineError::ModelFileMissing { path: path.clone() })?;
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        let line = format!("{name} {} {mtime} {expected}\n", meta.len());
        if !old_stamp.lines().any(|l| format!("{l}\n") == line) {
            let actual = sha256_file(&path).map_err(|_| EngineError::ModelFileMissing { path: path.clone() })?;
            if &actual != expected {
                return Err(EngineError::ModelFileCorrupt { path, expected: expected.clone(), actual });
            }
        }
        new_stamp.push_str(&line);
    }
    if new_stamp != old_stamp {
        // A read-only models folder only means hashing again next time.
        let _ = fs::write(&stamp_path, new_stamp);
    }
    Ok(())
}

fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut file = fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// A model found on disk, for the settings page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstalledModel {
    pub name: String,
    /// "embed" or "chat".
    pub task: String,
    /// Where it is; `None` when a default model is not installed.
    pub location: Option<PathBuf>,
}

/// The default models (installed or not) and any other GGUF chat model
/// dropped into a models folder, by folder order. Nothing is hashed here.
pub fn installed(paths: &NookPaths) -> Vec<InstalledModel> {
    let defaults = default_models();
    let mut found: Vec<InstalledModel> = defaults
        .iter()
        .map(|spec| InstalledModel {
            name: spec.name.clone(),
            task: spec.task.clone(),
            location: paths.model_dirs.iter().map(|d| d.join(&spec.dest)).find(|d| d.is_dir()),
        })
        .collect();
    let mut seen: Vec<PathBuf> = found.iter().filter_map(|m| m.location.clone()).collect();
    for dir in &paths.model_dirs {
        for gguf in gguf_files(dir) {
            let inside_default = seen.iter().any(|d| gguf.starts_with(d));
            if !inside_default && !seen.contains(&gguf) {
                let name = gguf.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                seen.push(gguf.clone());
                found.push(InstalledModel { name, task: "chat".to_string(), location: Some(gguf) });
            }
        }
    }
    found
}

/// The tasks a chat model can be chosen for: answering questions, and
/// planning searches and actions.
pub const CHAT_TASKS: &[&str] = &["chat", "plan"];

/// The GGUF file Nook uses for `task`: the model chosen for it
/// (`nook models use`), else the default chat model, checked against its
/// hash.
pub fn chat_model_file(paths: &NookPaths, settings: &crate::Settings, task: &str) -> Result<PathBuf, EngineError> {
    if let Some(name) = settings.models.get(task) {
        let found = installed(paths).into_iter().find(|m| &m.name == name && m.task == "chat").and_then(|m| m.location);
        return match found.and_then(|location| gguf_at(&location)) {
            Some(file) => Ok(file),
            None => Err(EngineError::ChosenModelMissing { name: name.clone(), task: task.to_string() }),
        };
    }
    let spec = default_model("chat");
    let Some(dir) = paths.model_dirs.iter().map(|d| d.join(&spec.dest)).find(|d| d.is_dir()) else {
        return Err(EngineError::ChatModelMissing { looked_in: paths.model_dirs.clone() });
    };
    verify(&dir, &spec)?;
    gguf_at(&dir).ok_or(EngineError::ChatModelMissing { looked_in: paths.model_dirs.clone() })
}

/// The GGUF file a model location names: itself, or the first in a folder.
fn gguf_at(location: &Path) -> Option<PathBuf> {
    if location.is_dir() {
        gguf_files(location).into_iter().next()
    } else {
        location.is_file().then(|| location.to_path_buf())
    }
}

/// Adds the GGUF file `source` to the first models folder, after checking
/// that Nook can run it; its name is the file's name without `.gguf`.
pub fn add(paths: &NookPaths, source: &Path) -> Result<InstalledModel, EngineError> {
    let gguf = nook_gguf::Gguf::open(source).map_err(|e| EngineError::UnusableModel { path: source.to_path_buf(), reason: e.reason.to_string() })?;
    let architecture = gguf.architecture().map_err(|e| EngineError::UnusableModel { path: source.to_path_buf(), reason: e.to_string() })?;
    if nook_llm::decoder::Architecture::from_name(architecture).is_none() {
        return Err(EngineError::UnusableModel {
            path: source.to_path_buf(),
            reason: format!("its architecture, {architecture}, is not one Nook runs (llama, qwen2, qwen3, gemma3, phi3)"),
        });
    }
    if let Some((tokens, rows)) = nook_llm::vocabulary_mismatch(&gguf) {
        return Err(nook_llm::LlmError::VocabularyMismatch { path: source.to_path_buf(), tokens, rows }.into());
    }
    let Some(file_name) = source.file_name().filter(|_| source.extension().is_some_and(|e| e.eq_ignore_ascii_case("gguf"))) else {
        return Err(EngineError::UnusableModel { path: source.to_path_buf(), reason: "its name does not end in .gguf".into() });
    };
    let name = source.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    if installed(paths).iter().any(|m| m.name == name) {
        return Err(EngineError::ModelExists { name });
    }
    let dir = paths.model_dirs.first().ok_or(EngineError::NoHome)?;
    let target = dir.join(file_name);
    let failed = |e: std::io::Error| EngineError::ModelCopy { from: source.to_path_buf(), to: target.clone(), reason: e.to_string() };
    fs::create_dir_all(dir).map_err(failed)?;
    // A hard link costs nothing on the same file system; otherwise copy to
    // a temporary name first, so a half copy is never taken for a model.
    if fs::hard_link(source, &target).is_err() {
        let partial = target.with_extension("gguf.partial");
        fs::copy(source, &partial).map_err(failed)?;
        fs::rename(&partial, &target).map_err(failed)?;
    }
    Ok(InstalledModel { name, task: "chat".into(), location: Some(target) })
}

/// Deletes the added model `name`, and forgets any task it was chosen for.
/// The default models cannot be removed (set-up would fetch them again).
pub fn remove(paths: &NookPaths, settings: &mut crate::Settings, name: &str) -> Result<PathBuf, EngineError> {
    if default_models().iter().any(|m| m.name == name) {
        return Err(EngineError::DefaultModel { name: name.to_string() });
    }
    let Some(location) = installed(paths).into_iter().find(|m| m.name == name).and_then(|m| m.location) else {
        return Err(EngineError::UnknownModel { name: name.to_string() });
    };
    fs::remove_file(&location).map_err(|e| EngineError::ModelCopy { from: location.clone(), to: PathBuf::new(), reason: e.to_string() })?;
    settings.models.retain(|_, chosen| chosen != name);
    Ok(location)
}

/// Chooses the chat model `name` for `task` ("chat" or "plan").
pub fn choose(paths: &NookPaths, settings: &mut crate::Settings, name: &str, task: &str) -> Result<(), EngineError> {
    if !CHAT_TASKS.contains(&task) {
        return Err(EngineError::UnknownTask { task: task.to_string() });
    }
    let Some(model) = summaries(paths, settings).into_iter().find(|m| m.name == name) else {
        return Err(EngineError::UnknownModel { name: name.to_string() });
    };
    if model.task != "chat" {
        return Err(EngineError::UnusableModel {
            path: model.location.unwrap_or_default(),
            reason: format!("it is the {} model, not a chat model", model.task),
        });
    }
    if let Some(problem) = model.problem {
        return Err(EngineError::UnusableModel { path: model.location.unwrap_or_default(), reason: problem });
    }
    settings.models.insert(task.to_string(), name.to_string());
    Ok(())
}

/// A model as `nook models list` and Settings show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelSummary {
    pub name: String,
    /// "embed" or "chat".
    pub task: String,
    /// The model file (a GGUF) or folder; `None` when not installed.
    pub location: Option<PathBuf>,
    pub size_bytes: u64,
    /// From the GGUF metadata (`general.architecture`), for GGUF models.
    pub architecture: Option<String>,
    /// Positions the model was trained for (`<arch>.context_length`).
    pub context_length: Option<u64>,
    /// Why the model cannot be used, if it cannot: said so a person can act.
    pub problem: Option<String>,
    /// The tasks Nook uses it for ("embed", "chat", "plan").
    pub used_for: Vec<String>,
    /// One of the default models (set-up fetches them; they cannot be removed).
    pub default: bool,
    /// For a chat model Nook runs: what to expect of it on this computer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outlook: Option<ModelOutlook>,
}

/// What a chat model promises here, from its file's header (see
/// [`nook_llm::Outlook`]): speeds are estimates from its size and the
/// speeds measured on 2 threads, scaled to this computer's threads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelOutlook {
    pub parameters: u64,
    pub memory_needed_bytes: u64,
    pub memory_free_bytes: Option<u64>,
    /// Whether it fits in the memory free now (`None`: unknown).
    pub fits: Option<bool>,
    pub read_tokens_per_second: f64,
    pub write_tokens_per_second: f64,
    /// Seconds to read a question with its passages (1,000 tokens).
    pub seconds_to_read_1000_tokens: f64,
    pub good_for: String,
}

impl From<nook_llm::Outlook> for ModelOutlook {
    fn from(o: nook_llm::Outlook) -> Self {
        ModelOutlook {
            parameters: o.parameters,
            memory_needed_bytes: o.memory_needed,
            memory_free_bytes: o.memory_free,
            fits: o.fits(),
            read_tokens_per_second: round1(o.reads_per_second),
            write_tokens_per_second: round1(o.writes_per_second),
            seconds_to_read_1000_tokens: round1(o.seconds_to_read(1000)),
            good_for: o.good_for(),
        }
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Every model found (see [`installed`]), with what its file says about it
/// and what `settings` use it for. Reads GGUF headers, never weights, and
/// hashes nothing.
pub fn summaries(paths: &NookPaths, settings: &crate::Settings) -> Vec<ModelSummary> {
    let default_chat = default_model("chat").name;
    let mut all: Vec<ModelSummary> = installed(paths).into_iter().map(summarize).collect();
    for model in &mut all {
        if model.task == "embed" {
            model.used_for.push("embed".into());
        }
        for task in CHAT_TASKS {
            let chosen = settings.models.get(*task).map_or(default_chat.as_str(), String::as_str);
            if model.task == "chat" && model.name == chosen {
                model.used_for.push(task.to_string());
            }
        }
    }
    all
}

fn summarize(model: InstalledModel) -> ModelSummary {
    let mut summary = ModelSummary {
        name: model.name,
        task: model.task,
        location: model.location.clone(),
        size_bytes: 0,
        architecture: None,
        context_length: None,
        problem: None,
        used_for: Vec::new(),
        default: false,
        outlook: None,
    };
    summary.default = default_models().iter().any(|m| m.name == summary.name);
    let Some(location) = model.location else {
        summary.problem = Some(format!("not installed; run `{FETCH_COMMAND}`"));
        return summary;
    };
    let gguf = if location.is_dir() {
        summary.size_bytes = fs::read_dir(&location).into_iter().flatten().flatten().filter_map(|e| e.metadata().ok()).filter(|m| m.is_file()).map(|m| m.len()).sum();
        gguf_files(&location).into_iter().next()
    } else {
        summary.size_bytes = fs::metadata(&location).map_or(0, |m| m.len());
        Some(location)
    };
    if let Some(file) = gguf {
        match nook_gguf::Gguf::open(&file) {
            Ok(gguf) => {
                let architecture = gguf.architecture().ok().map(String::from);
                summary.context_length =
                    architecture.as_ref().and_then(|a| gguf.metadata.u64(&format!("{a}.context_length")).ok());
                if let Some(name) = architecture.as_deref().filter(|a| nook_llm::decoder::Architecture::from_name(a).is_none()) {
                    summary.problem = Some(format!("its architecture, {name}, is not one Nook runs (llama, qwen2, qwen3, gemma3, phi3)"));
                } else if summary.task == "chat" {
                    summary.outlook = Some(nook_llm::Outlook::of(&gguf, nook_llm::default_threads()).into());
                }
                summary.architecture = architecture;
            }
            Err(err) => summary.problem = Some(err.to_string()),
        }
    }
    summary
}

/// `*.gguf` files in `dir` and its direct subfolders, sorted.
fn gguf_files(dir: &Path) -> Vec<PathBuf> {
    let is_gguf = |p: &Path| p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("gguf"));
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(fs::read_dir(&path).into_iter().flatten().flatten().map(|e| e.path()).filter(|p| is_gguf(p)));
        } else if is_gguf(&path) {
            files.push(path);
        }
    }
    files.sort();
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec_for(files: &[(&str, &str)]) -> ModelSpec {
        ModelSpec {
            name: "tiny".into(),
            task: "embed".into(),
            package: "p".into(),
            version: "0".into(),
            dest: "tiny".into(),
            files: files.iter().map(|(n, h)| (n.to_string(), h.to_string())).collect(),
        }
    }

    const ABC_SHA256: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    #[test]
    fn summaries_read_gguf_headers_and_say_what_is_wrong() {
        let home = tempfile::tempdir().unwrap();
        let paths = NookPaths::under(home.path(), None);
        let models = home.path().join("models");
        std::fs::create_dir_all(&models).unwrap();
        std::fs::write(models.join("broken.gguf"), b"not a model at all").unwrap();
        let all = summaries(&paths, &crate::Settings::default());
        let broken = all.iter().find(|m| m.name == "broken").unwrap();
        assert!(broken.problem.as_deref().unwrap().contains("broken.gguf is not a usable GGUF model"), "{broken:?}");
        let embed = all.iter().find(|m| m.task == "embed").unwrap();
        assert_eq!(embed.location, None);
        assert!(embed.problem.as_deref().unwrap().contains(FETCH_COMMAND));
    }

    #[test]
    fn the_manifest_lists_an_embedding_and_a_chat_model() {
        assert_eq!(default_model("embed").files.len(), 3);
        assert!(default_model("chat").files.keys().any(|f| f.ends_with(".gguf")));
    }

    #[test]
    fn a_good_file_passes_and_leaves_a_stamp() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("w.bin"), "abc").unwrap();
        verify(dir.path(), &spec_for(&[("w.bin", ABC_SHA256)])).unwrap();
        assert!(fs::read_to_string(dir.path().join(STAMP)).unwrap().contains(ABC_SHA256));
    }

    #[test]
    fn a_changed_file_is_hashed_again_and_named_in_the_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.bin");
        fs::write(&path, "abc").unwrap();
        let spec = spec_for(&[("w.bin", ABC_SHA256)]);
        verify(dir.path(), &spec).unwrap();
        fs::write(&path, "abd!").unwrap();
        let err = verify(dir.path(), &spec).unwrap_err();
        assert!(matches!(&err, EngineError::ModelFileCorrupt { path: p, .. } if *p == path));
        assert!(err.to_string().contains(FETCH_COMMAND), "{err}");
    }

    #[test]
    fn a_missing_model_names_where_it_looked_and_how_to_fetch_it() {
        let home = tempfile::tempdir().unwrap();
        let paths = NookPaths::under(home.path(), None);
        let err = embedding_model_dir(&paths).unwrap_err().to_string();
        assert!(err.contains(&home.path().join("models/all-MiniLM-L6-v2").display().to_string()), "{err}");
        assert!(err.contains(FETCH_COMMAND), "{err}");
    }

    #[test]
    fn installed_lists_defaults_and_dropped_in_gguf_files() {
        let home = tempfile::tempdir().unwrap();
        let paths = NookPaths::under(home.path(), None);
        let models = home.path().join("models");
        std::fs::create_dir_all(models.join("all-MiniLM-L6-v2")).unwrap();
        std::fs::create_dir_all(models.join("bigger")).unwrap();
        std::fs::write(models.join("bigger/Qwen-1.5B.Q4_K_M.gguf"), b"GGUF").unwrap();
        let found = installed(&paths);
        let embed = found.iter().find(|m| m.task == "embed").unwrap();
        assert_eq!(embed.location.as_deref(), Some(models.join("all-MiniLM-L6-v2").as_path()));
        let chat_default = found.iter().find(|m| m.name == "SmolLM2-135M-Instruct").unwrap();
        assert_eq!(chat_default.location, None);
        let dropped = found.iter().find(|m| m.name == "Qwen-1.5B.Q4_K_M").unwrap();
        assert_eq!(dropped.task, "chat");
    }
}
