"""The runner process's entry: `python3 -B func_runner.py [--memory-limit-mb N] …` (func_runner_core.py).

Kept to these lines: Python compiles the script it is started with from source at every start,
and reads the modules it imports from their bytecode.
"""

if __name__ == '__main__':
    import sys

    from func_runner_core import main

    main(sys.argv[1:])
