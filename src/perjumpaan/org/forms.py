from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from perjumpaan.core.spreadsheet import SpreadsheetError
from perjumpaan.org.setup import DEFAULT_TIME_ZONE, LOGO_MAX_BYTES, TIME_ZONES, logo_png, standard_offices
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


# --- First run (the /mulai/ wizard) -------------------------------------------------------------------


def _coordinate(value: str, *, example: str) -> Decimal:
    """A latitude or longitude as typed in Indonesia, with a decimal comma or point."""
    text = (value or "").strip().replace(" ", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or abs(number) > 1000:
        raise forms.ValidationError(
            _("Tulis sebagai angka desimal, misalnya %(example)s.") % {"example": example}
        )
    return number


class GovernmentSetupForm(forms.Form):
    """The wizard's one form: the government, its letterhead, the first admin and the offices to create.

    Only the shape of each answer is checked here; `org.setup.government_init` checks the rest (the
    coordinates lie in Indonesia, the username is free, the password is strong enough) and its errors are
    put back on these fields by name."""

    name = forms.CharField(
        label=_("Nama pemerintah daerah"),
        max_length=180,
        help_text=_("Misalnya Kabupaten Lombok Barat atau Kota Mataram."),
        error_messages={"required": _("Isi nama pemerintah daerah.")},
    )
    time_zone = forms.ChoiceField(
        label=_("Zona waktu"),
        choices=[(zone, _(label)) for zone, label in TIME_ZONES],
        initial=DEFAULT_TIME_ZONE,
        error_messages={"invalid_choice": _("Pilih salah satu zona waktu Indonesia: WIB, WITA atau WIT.")},
    )
    latitude = forms.CharField(
        label=_("Lintang"),
        max_length=20,
        help_text=_(
            "Titik kantor bupati/wali kota, untuk waktu salat. Lintang selatan bertanda minus: -8,6936."
        ),
        error_messages={"required": _("Isi lintang, misalnya -8,6936.")},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    longitude = forms.CharField(
        label=_("Bujur"),
        max_length=20,
        help_text=_("Misalnya 116,1230."),
        error_messages={"required": _("Isi bujur, misalnya 116,1230.")},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    address = forms.CharField(
        label=_("Alamat untuk kop surat"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    logo = forms.FileField(
        label=_("Logo untuk kop surat (PNG atau JPEG, boleh dilewati)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
        error_messages={"empty": _("Berkas logo yang dipilih kosong.")},
    )
    admin_first_name = forms.CharField(
        label=_("Nama lengkap admin"),
        max_length=150,
        error_messages={"required": _("Isi nama lengkap admin.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    admin_username = forms.CharField(
        label=_("Nama pengguna admin"),
        max_length=150,
        help_text=_("Untuk masuk; huruf, angka dan . @ + - _ tanpa spasi."),
        error_messages={"required": _("Isi nama pengguna admin.")},
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    admin_email = forms.EmailField(
        label=_("Email admin (boleh kosong)"),
        required=False,
        error_messages={"invalid": _("Alamat email tidak valid.")},
    )
    admin_password = forms.CharField(
        label=_("Kata sandi admin"),
        strip=False,
        max_length=128,
        error_messages={"required": _("Isi kata sandi admin.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    admin_password2 = forms.CharField(
        label=_("Ulangi kata sandi"),
        strip=False,
        max_length=128,
        error_messages={"required": _("Ulangi kata sandi admin.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    offices = forms.MultipleChoiceField(
        label=_("Perangkat daerah"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Kode perangkat daerah tidak dikenal: %(value)s.")},
    )
    kecamatan = forms.CharField(
        label=_("Kecamatan (satu nama per baris, boleh kosong)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(office.code, office.name) for office in standard_offices()]
        offices = self.fields["offices"]
        assert isinstance(offices, forms.MultipleChoiceField)
        offices.choices = choices
        offices.initial = [code for code, _name in choices]

    def clean_latitude(self) -> Decimal:
        return _coordinate(self.cleaned_data["latitude"], example="-8,6936")

    def clean_longitude(self) -> Decimal:
        return _coordinate(self.cleaned_data["longitude"], example="116,1230")

    def clean_logo(self) -> bytes:
        upload: UploadedFile | None = self.cleaned_data.get("logo")
        if not upload:
            return b""
        content: bytes = upload.read(LOGO_MAX_BYTES + 1)
        logo_png(content)  # refuses anything but a PNG or JPEG image, with its message on this field
        return content

    def clean_kecamatan(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["kecamatan"].splitlines() if line.strip()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("admin_password"), cleaned.get("admin_password2")
        if first and second and first != second:
            self.add_error("admin_password2", _("Kedua kata sandi tidak sama."))
        return cleaned
