"""The `broker-registry` command line: base.py is what every command shares (one-line answers
to an operator's mistakes), commands.py gathers every domain's commands and the registry's
own, main.py is the entry point."""
