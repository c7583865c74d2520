"""The package's logger: every module logs through ``logging.getLogger("policybrief")``."""

import logging

logger = logging.getLogger("policybrief")
