pub mod home;
pub mod keys;
pub mod not_found;
pub mod placeholder;
pub mod profile;
pub mod signin;
