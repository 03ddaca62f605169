//! Registration, confirmation, login, logout, password reset and invitations (being written).
