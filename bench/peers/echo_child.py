"""A long-lived no-op Python child: reads one JSON request per line, answers {"id": ..., "result": null}."""
import json
import sys


def main():
    out = sys.stdout
    for line in sys.stdin:
        req = json.loads(line)
        out.write(json.dumps({'id': req['id'], 'result': None}) + '\n')
        out.flush()


if __name__ == '__main__':
    main()
