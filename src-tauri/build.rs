//! Declares the app's commands so each gets an `allow-…` permission; the
//! capabilities in capabilities/ grant each window only those it uses.

const COMMANDS: &[&str] = &[
    "app_status",
    "search",
    "refine_search",
    "open_file",
    "reveal_file",
    "library_overview",
    "add_folder",
    "pick_folder",
    "remove_folder",
    "folder_files",
    "why",
    "set_indexing_paused",
    "settings_info",
    "set_shortcut",
    "set_fiscal_year_start",
    "warm_up",
    "hide_quick_ask",
    "show_main",
    "use_model",
    "add_model",
    "remove_model",
    "ask",
    "cancel_answer",
    "conversations",
    "conversation",
    "rename_conversation",
    "delete_conversation",
    "propose_action",
    "execute_action",
    "cancel_action",
    "activity",
    "undo_action",
    "set_run_programs",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build step");
}
