from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from perjumpaan.core.spreadsheet import SpreadsheetError
from perjumpaan.org.staff_table import read_staff_file


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Nama pengguna atau NIP"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        ),
    )
    error_messages = {
        "invalid_login": _(
            "Nama pengguna/NIP atau kata sandi salah. Periksa kembali, huruf besar dan kecil dibedakan."
        ),
        "inactive": _("Akun ini tidak aktif. Hubungi koordinator kantor Anda."),
    }


# --- Staff import ------------------------------------------------------------------------------------

STAFF_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
STAFF_UPLOAD_SUFFIXES = (".xlsx", ".csv")


class StaffUploadForm(forms.Form):
    """The staff file a coordinator uploads. Valid only if it is a readable staff list; row problems
    are for the preview."""

    file = forms.FileField(
        label=_("Berkas daftar pegawai (.xlsx atau .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        error_messages={
            "required": _("Pilih berkas .xlsx atau .csv yang akan diimpor."),
            "empty": _("Berkas yang dipilih kosong."),
        },
    )

    # The file's bytes once it has been read and found to be a staff list.
    content: bytes = b""

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        name = upload.name or ""
        if not name.casefold().endswith(STAFF_UPLOAD_SUFFIXES):
            raise forms.ValidationError(
                _("Jenis berkas tidak didukung. Unggah berkas Excel (.xlsx) atau CSV (.csv).")
            )
        if (upload.size or 0) > STAFF_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("Berkas terlalu besar (paling besar %(limit)s MB).")
                % {"limit": STAFF_UPLOAD_MAX_BYTES // (1024 * 1024)}
            )
        content = upload.read(STAFF_UPLOAD_MAX_BYTES + 1)
        if len(content) > STAFF_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("Berkas terlalu besar (paling besar %(limit)s MB).")
                % {"limit": STAFF_UPLOAD_MAX_BYTES // (1024 * 1024)}
            )
        try:
            read_staff_file(content, filename=name)
        except SpreadsheetError as error:
            raise forms.ValidationError(str(error)) from error
        self.content = content
        return upload
