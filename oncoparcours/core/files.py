"""Uploaded documents (prescription scans, diploma evidence): what the platform accepts (pure)."""

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Magic bytes of the accepted documents: the declared content type is the client's word only.
UPLOAD_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def upload_type(head: bytes) -> str | None:
    """The content type the first bytes prove, or None for anything else."""
    for signature, content_type in UPLOAD_SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None
