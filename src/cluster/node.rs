//! This node's name: configured (`--node-id`), or generated once into the data dir, so a
//! restarted node is the same node (it finds what it left behind).

use std::path::Path;

pub const NODE_FILE: &str = "node.id";

/// The configured name, or the one in `<data_dir>/node.id` (created on first start).
pub fn node_id(configured: Option<&str>, data_dir: &Path) -> std::io::Result<String> {
    if let Some(id) = configured.map(str::trim).filter(|s| !s.is_empty()) {
        return Ok(id.to_owned());
    }
    let path = data_dir.join(NODE_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) if !text.trim().is_empty() => Ok(text.trim().to_owned()),
        Ok(_) | Err(_) => {
            let id = format!("node-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
            std::fs::write(&path, format!("{id}\n"))?;
            Ok(id)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_once_then_kept_and_a_configured_name_wins() {
        let dir = tempfile::tempdir().expect("dir");
        let first = node_id(None, dir.path()).expect("create");
        assert!(first.starts_with("node-") && first.len() == 13, "{first}");
        assert_eq!(node_id(None, dir.path()).expect("read"), first);
        assert_eq!(node_id(Some(" edge-a "), dir.path()).expect("configured"), "edge-a");
    }
}
