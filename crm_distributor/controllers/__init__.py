from . import portal_upload
