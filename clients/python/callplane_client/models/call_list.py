from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.call_view import CallView


T = TypeVar("T", bound="CallList")


@_attrs_define
class CallList:
    """
    Attributes:
        items (list[CallView]):
        total (int):
        unreachable_nodes (list[str] | Unset): Nodes that did not answer (their calls are missing from `items`); absent
            when
            every node answered.
    """

    items: list[CallView]
    total: int
    unreachable_nodes: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        total = self.total

        unreachable_nodes: list[str] | Unset = UNSET
        if not isinstance(self.unreachable_nodes, Unset):
            unreachable_nodes = self.unreachable_nodes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "items": items,
                "total": total,
            }
        )
        if unreachable_nodes is not UNSET:
            field_dict["unreachable_nodes"] = unreachable_nodes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.call_view import CallView  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = CallView.from_dict(items_item_data)

            items.append(items_item)

        total = d.pop("total")

        unreachable_nodes = cast(list[str], d.pop("unreachable_nodes", UNSET))

        call_list = cls(
            items=items,
            total=total,
            unreachable_nodes=unreachable_nodes,
        )

        call_list.additional_properties = d
        return call_list

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
