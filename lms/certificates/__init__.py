"""Certificates: issue on completion, Vietnamese PDF with QR code, public verification,
revocation and expiry, downloads."""
