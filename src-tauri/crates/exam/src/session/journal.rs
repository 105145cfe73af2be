//! Durable persistence of the session: the shell implements [`Journal`] over the answer
//! store; [`MemoryJournal`] and [`FileJournal`] serve tests and the CLI.

use std::{
    fs::{self, File, OpenOptions},
    io::{self, Write},
    path::{Path, PathBuf},
};

use super::state::{Checkpoint, Event};

/// Where a session persists itself. `commit` must be durable and atomic (the checkpoint and
/// its events together) when it returns Ok: the session acts on a change (starts a track,
/// a recording) only after that.
pub trait Journal {
    type Error: std::error::Error + Send + Sync + 'static;

    fn commit(&mut self, checkpoint: &Checkpoint, events: &[Event]) -> Result<(), Self::Error>;
}

/// Keeps everything in memory; `fail_next` makes the next commit fail (for tests of the
/// "persist before acting" rule).
#[derive(Debug, Default, Clone)]
pub struct MemoryJournal {
    pub checkpoint: Option<Checkpoint>,
    pub events: Vec<Event>,
    pub fail_next: bool,
}

#[derive(Debug, thiserror::Error)]
#[error("журнал в памяти отказал (проверка)")]
pub struct MemoryJournalError;

impl Journal for MemoryJournal {
    type Error = MemoryJournalError;

    fn commit(&mut self, checkpoint: &Checkpoint, events: &[Event]) -> Result<(), Self::Error> {
        if std::mem::take(&mut self.fail_next) {
            return Err(MemoryJournalError);
        }
        self.checkpoint = Some(checkpoint.clone());
        self.events.extend_from_slice(events);
        Ok(())
    }
}

impl<J: Journal> Journal for &mut J {
    type Error = J::Error;

    fn commit(&mut self, checkpoint: &Checkpoint, events: &[Event]) -> Result<(), Self::Error> {
        (**self).commit(checkpoint, events)
    }
}

/// `checkpoint.json` (replaced atomically) and `events.jsonl` (appended) in a folder,
/// both synced to disk before `commit` returns.
#[derive(Debug)]
pub struct FileJournal {
    dir: PathBuf,
}

const CHECKPOINT_FILE: &str = "checkpoint.json";
const EVENTS_FILE: &str = "events.jsonl";

impl FileJournal {
    pub fn open(dir: &Path) -> io::Result<Self> {
        fs::create_dir_all(dir)?;
        Ok(Self {
            dir: dir.to_path_buf(),
        })
    }

    /// The last committed checkpoint, if any.
    pub fn load(&self) -> io::Result<Option<Checkpoint>> {
        match fs::read(self.dir.join(CHECKPOINT_FILE)) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Every event committed so far.
    pub fn events(&self) -> io::Result<Vec<Event>> {
        match fs::read_to_string(self.dir.join(EVENTS_FILE)) {
            Ok(text) => text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| {
                    serde_json::from_str(l)
                        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
                })
                .collect(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }
}

impl Journal for FileJournal {
    type Error = io::Error;

    fn commit(&mut self, checkpoint: &Checkpoint, events: &[Event]) -> io::Result<()> {
        if !events.is_empty() {
            let mut log = OpenOptions::new()
                .create(true)
                .append(true)
                .open(self.dir.join(EVENTS_FILE))?;
            let mut buf = Vec::new();
            for e in events {
                serde_json::to_writer(&mut buf, e).map_err(io::Error::other)?;
                buf.push(b'\n');
            }
            log.write_all(&buf)?;
            log.sync_all()?;
        }
        let tmp = self.dir.join("checkpoint.json.tmp");
        {
            let mut f = File::create(&tmp)?;
            serde_json::to_writer(&mut f, checkpoint).map_err(io::Error::other)?;
            f.sync_all()?;
        }
        fs::rename(&tmp, self.dir.join(CHECKPOINT_FILE))?;
        if let Ok(d) = File::open(&self.dir) {
            // Make the rename itself durable (directories can be synced on Unix).
            let _ = d.sync_all();
        }
        Ok(())
    }
}
