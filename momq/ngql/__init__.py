"""nGQL support: our own parser (grammar written from NebulaGraph's documentation), safety checks, and the
translation to openCypher used by the emulation engine. The engines themselves live in ``momq.engines``."""

from momq.ngql.parser import Diagnostic, NGQLSyntaxError, check, parse
from momq.ngql.safety import first_mutation, is_read_only
from momq.ngql.translate import NGQLSemanticError, Translation, UnsupportedNGQL, translate

__all__ = ["parse", "check", "Diagnostic", "NGQLSyntaxError", "is_read_only", "first_mutation", "translate",
           "Translation", "UnsupportedNGQL", "NGQLSemanticError"]
