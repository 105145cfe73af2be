//! Table `rooms`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::*;
use crate::{Coordinator, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Room {
    pub id: i64,
    pub name: String,
}

impl Coordinator {
    pub fn add_room(&self, name: &str) -> Result<i64> {
        non_empty("аудитория", name)?;
        self.conn
            .execute("INSERT INTO rooms (name) VALUES (?1)", [name.trim()])?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn rooms(&self) -> Result<Vec<Room>> {
        let mut st = self
            .conn
            .prepare("SELECT id, name FROM rooms ORDER BY name")?;
        let rows = st.query_map([], |r| {
            Ok(Room {
                id: r.get(0)?,
                name: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
