"""Test stand-in for `mods.mods_template.MODSTemplate`.

It behaves the way the MODS design note describes the real one: the decorator returns a
subclass that mixes the decorated class with MODS's own abstract base (which has a metaclass
of its own), records the template in a module-level list, and exposes static extractors.
Decorating an *instance* of a class with a different metaclass would conflict; decorating
the generated class itself must not.
"""

import abc
from collections.abc import Callable
from typing import Any, TypeVar

memorize = []
calls = []


class MODSTemplateInner(metaclass=abc.ABCMeta):
    @abc.abstractmethod
    def generate_pipeline(self):
        """Every MODS template builds its pipeline here."""


_Class = TypeVar("_Class", bound=type)


# Typed (the rest of this double is not) so that `mypy --strict` can judge a generated module
# that decorates its class with it.
def MODSTemplate(
    author: str | None = None,
    description: str | None = None,
    version: str | None = None,
) -> Callable[[_Class], _Class]:
    def decorate(cls: Any) -> Any:
        calls.append(
            {
                "cls": cls,
                "author": author,
                "description": description,
                "version": version,
            }
        )

        class Wrapped(cls, MODSTemplateInner):
            @staticmethod
            def extract_author():
                return author

            @staticmethod
            def extract_version():
                return version

            @staticmethod
            def extract_description():
                return description

            @staticmethod
            def extract_name():
                return cls.__name__

            @staticmethod
            def extract_module():
                return cls.__module__

        Wrapped.__name__ = cls.__name__
        Wrapped.__qualname__ = cls.__qualname__
        memorize.append(Wrapped)
        return Wrapped

    return decorate


def extract_template_list():
    return list(memorize)
