"""The office's 公文 settings (文号 prefix, 红头, 抄送, 印发机关 and the usual issue day), read once
for every document the pages make: the 月度通报 and the 年度总结 sign with the same issuer.

`[minsheng.bulletin]` in the secrets, else MINSHENG_BULLETIN_* (bulletin.form.read_form).
"""

from __future__ import annotations

import os

from bulletin.form import DocumentForm, read_form
from dashboard import auth


def office_form() -> DocumentForm:
    return read_form(auth.secrets_section("minsheng").get("bulletin"), os.environ)
