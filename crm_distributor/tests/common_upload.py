"""Former upload test base, merged into common.py (issue 14.1); kept so the
upload tests import unchanged until they import from .common."""

from .common import HEADER, VAT_A, VAT_B, VAT_NEW, UploadCommon

__all__ = ["HEADER", "VAT_A", "VAT_B", "VAT_NEW", "UploadCommon"]
