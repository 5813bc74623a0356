from odoo import models
from odoo.http import request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _frontend_pre_dispatch(cls):
        cls._set_portal_user_lang()
        return super()._frontend_pre_dispatch()

    @classmethod
    def _set_portal_user_lang(cls):
        """A signed-in portal user reads the portal in their own language (their
        preference), not in the one a `frontend_lang` cookie or the browser left
        from an earlier visit. A language written in the URL still wins."""
        user = request.env.user
        if not request.session.uid or not user.share or user._is_public() or not user.lang:
            return
        if request.lang and request.lang.code == user.lang:
            return
        first_segment = request.httprequest.path.strip("/").split("/", 1)[0]
        if first_segment and first_segment == request.lang.url_code:
            return
        lang = request.env["res.lang"]._get_data(code=user.lang)
        if lang.code:
            request.lang = lang
