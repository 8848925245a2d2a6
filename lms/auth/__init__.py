"""Auth: logins, passwords, role grants and the administrator's account screens."""
