"""Phase 0, options: the command's long options, one definition each (table.py), and one
check of a value (checks.py).

`OPTIONS` maps each API keyword (`class_name`) to its `Option`: type, default, help text,
whether it is a path (or a list of paths), whether it changes the module's bytes (then the
header's regenerate command carries it), which commands take it, and whether a run with it on
is never cached. The command line (cli/) builds each command's arguments from it, the API
(api.py) checks its keywords with it, the manifest checks its keys with it, the header's
regenerate command (run/regenerate.py) and the manifest cache's key (project/cache.py) are
derived from it. A run's inputs are `InputFile`s (input_file.py): path, display, header.

    value_problem("line_length", 0)           # "0 is outside 40..400" (the one check)
    option_problem("line_length", 0)          # "line_length 0 is outside 40..400"
    option_problem("class-name", "ok")        # None: any spelling names the option
    path_problem("dag", None)                 # "dag must be a path, not None"

`value_problem` words a problem for a place that already names the option (a diagnostic
located at `--line-length`, argparse's `argument --line-length:`); `option_problem` and
`path_problem` begin the same words with the name as the caller spelled it.

The manifest (project/manifest.py) checks each key with `manifest_option_problem` (keys are
option names with "-" for "_") and finds its option in `MANIFEST_KEYS`; it makes a path
option's value absolute itself. `manifest_option_problem` words a wrong type as
`line-length must be int, not str` and an unknown key as `unknown key 'x'; a key is a long
option of the command (...)`.
"""
