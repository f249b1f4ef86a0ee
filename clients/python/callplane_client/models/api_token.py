from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.scope import Scope
from ..types import UNSET, Unset

T = TypeVar("T", bound="ApiToken")


@_attrs_define
class ApiToken:
    """
    Attributes:
        id (str): The token's `jti` claim.
        description (str):
        scope (Scope): A token's scope.

            - `admin`: everything.
            - `read`: every `GET` of configuration and runtime views.
            - `calls`: live calls, click-to-call and hang-up, plus reads.
            - `events`: the event stream only.
            - `metrics`: the Prometheus metrics only (for a scraper's token).
        created_at (datetime.datetime):
        expires_at (datetime.datetime):
        updated_at (datetime.datetime):
        revoked_at (datetime.datetime | Unset): Set when the token was revoked; a revoked token is refused at once.
    """

    id: str
    description: str
    scope: Scope
    created_at: datetime.datetime
    expires_at: datetime.datetime
    updated_at: datetime.datetime
    revoked_at: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        description = self.description

        scope = self.scope.value

        created_at = self.created_at.isoformat()

        expires_at = self.expires_at.isoformat()

        updated_at = self.updated_at.isoformat()

        revoked_at: str | Unset = UNSET
        if not isinstance(self.revoked_at, Unset):
            revoked_at = self.revoked_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "description": description,
                "scope": scope,
                "created_at": created_at,
                "expires_at": expires_at,
                "updated_at": updated_at,
            }
        )
        if revoked_at is not UNSET:
            field_dict["revoked_at"] = revoked_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        description = d.pop("description")

        scope = Scope(d.pop("scope"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        _revoked_at = d.pop("revoked_at", UNSET)
        revoked_at: datetime.datetime | Unset
        if isinstance(_revoked_at, Unset):
            revoked_at = UNSET
        else:
            revoked_at = datetime.datetime.fromisoformat(_revoked_at)

        api_token = cls(
            id=id,
            description=description,
            scope=scope,
            created_at=created_at,
            expires_at=expires_at,
            updated_at=updated_at,
            revoked_at=revoked_at,
        )

        api_token.additional_properties = d
        return api_token

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
