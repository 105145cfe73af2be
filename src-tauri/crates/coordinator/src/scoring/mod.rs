//! Submitted works, auto-scoring of closed items, expert assignment and
//! scores by criterion, second and third scoring, final scores.

mod assignments;
mod conflicts;
mod material;
mod scores;
mod submissions;

pub use assignments::*;
pub use material::*;
pub use scores::*;
pub use submissions::*;
