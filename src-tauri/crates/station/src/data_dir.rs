//! The station's data directory and its layout.

use std::path::{Path, PathBuf};

use crate::{Result, StationError};

/// `root/` holds `access.json`, the answer store, recordings and keys.
#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    pub fn create(root: &Path) -> Result<Self> {
        std::fs::create_dir_all(root).map_err(|source| StationError::DataDir {
            path: root.to_path_buf(),
            source,
        })?;
        Ok(Self {
            root: root.to_path_buf(),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
}
