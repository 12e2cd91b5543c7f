//! What an API key may do: everything its sender can (`full`), or only read (`read_only`:
//! every write answers 403, and MCP clients are offered only the read tools).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyScope {
    #[default]
    Full,
    ReadOnly,
}

impl KeyScope {
    pub const ALL: [KeyScope; 2] = [KeyScope::Full, KeyScope::ReadOnly];

    pub fn as_str(self) -> &'static str {
        match self {
            KeyScope::Full => "full",
            KeyScope::ReadOnly => "read_only",
        }
    }

    pub fn parse(text: &str) -> Option<KeyScope> {
        KeyScope::ALL.into_iter().find(|s| s.as_str() == text.trim())
    }

    pub fn may_write(self) -> bool {
        self == KeyScope::Full
    }

    /// How the keys page names it.
    pub fn label(self) -> &'static str {
        match self {
            KeyScope::Full => "Full access",
            KeyScope::ReadOnly => "Read only",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_read_back_what_they_write() {
        for scope in KeyScope::ALL {
            assert_eq!(KeyScope::parse(scope.as_str()), Some(scope));
        }
        assert_eq!(KeyScope::parse("admin"), None);
        assert!(KeyScope::Full.may_write() && !KeyScope::ReadOnly.may_write());
    }
}
