"""Report pages (reading, download, resend) and the APA project's pages."""
