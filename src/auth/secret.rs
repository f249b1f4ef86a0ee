//! The HS256 signing secret: configured, or generated once into the data dir (mode 0600).

use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use rand::RngCore;

pub const SECRET_FILE: &str = "jwt.secret";

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("cannot read or create the JWT secret {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("the JWT secret {path} is shorter than 32 bytes")]
    TooShort { path: PathBuf },
}

/// Loads `<data_dir>/jwt.secret`, creating it with 64 random bytes on first use.
pub fn load_or_create(data_dir: &Path) -> Result<Vec<u8>, SecretError> {
    let path = data_dir.join(SECRET_FILE);
    let io = |source| SecretError::Io { path: path.clone(), source };
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(text.trim())
                .unwrap_or_else(|_| text.trim().as_bytes().to_vec());
            if bytes.len() < 32 {
                return Err(SecretError::TooShort { path });
            }
            Ok(bytes)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(data_dir).map_err(io)?;
            let mut bytes = vec![0u8; 64];
            rand::rng().fill_bytes(&mut bytes);
            let text = base64::engine::general_purpose::STANDARD.encode(&bytes);
            write_private(&path, text.as_bytes()).map_err(io)?;
            Ok(bytes)
        }
        Err(e) => Err(io(e)),
    }
}

/// Writes a file readable by its owner only; fails if it already exists.
pub fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_once_with_owner_only_mode_then_reused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = load_or_create(dir.path()).expect("create");
        let second = load_or_create(dir.path()).expect("load");
        assert_eq!(first, second);
        assert_eq!(first.len(), 64);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(SECRET_FILE))
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
