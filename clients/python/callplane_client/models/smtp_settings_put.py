from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.smtp_tls import SmtpTls
from ..types import UNSET, Unset

T = TypeVar("T", bound="SmtpSettingsPut")


@_attrs_define
class SmtpSettingsPut:
    """Body of `PUT /api/v1/settings/smtp`.

    Attributes:
        host (str):
        from_ (str): The sender address of voicemail e-mails.
        port (int | Unset): Default: 587 (STARTTLS), 465 (implicit TLS), 25 (none).
        tls (SmtpTls | Unset): How the connection to the server is secured. Default: SmtpTls.STARTTLS.
        username (str | Unset):
        password (str | Unset): Write-only. Absent: the stored password stays; `null`: no password.
    """

    host: str
    from_: str
    port: int | Unset = UNSET
    tls: SmtpTls | Unset = SmtpTls.STARTTLS
    username: str | Unset = UNSET
    password: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        host = self.host

        from_ = self.from_

        port = self.port

        tls: str | Unset = UNSET
        if not isinstance(self.tls, Unset):
            tls = self.tls.value

        username = self.username

        password = self.password

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "host": host,
                "from": from_,
            }
        )
        if port is not UNSET:
            field_dict["port"] = port
        if tls is not UNSET:
            field_dict["tls"] = tls
        if username is not UNSET:
            field_dict["username"] = username
        if password is not UNSET:
            field_dict["password"] = password

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        host = d.pop("host")

        from_ = d.pop("from")

        port = d.pop("port", UNSET)

        _tls = d.pop("tls", UNSET)
        tls: SmtpTls | Unset
        if isinstance(_tls, Unset):
            tls = UNSET
        else:
            tls = SmtpTls(_tls)

        username = d.pop("username", UNSET)

        password = d.pop("password", UNSET)

        smtp_settings_put = cls(
            host=host,
            from_=from_,
            port=port,
            tls=tls,
            username=username,
            password=password,
        )

        smtp_settings_put.additional_properties = d
        return smtp_settings_put

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
