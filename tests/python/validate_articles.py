"""Validates article JSON files against the committed JSON Schema with the `jsonschema` package.

Usage: python validate_articles.py SCHEMA ARTICLE.json|DIR...

A DIR stands for every `<DIR>/<host>/*.json` file in it (the layout gleaner writes). The schema itself
must be a valid draft 2020-12 schema. Prints the number of articles validated; exits 1 listing every
error otherwise (and when there is nothing to validate).
"""

import glob
import json
import os
import sys

from jsonschema import Draft202012Validator


def articles(args):
    for arg in args:
        if os.path.isdir(arg):
            yield from sorted(glob.glob(os.path.join(arg, "*", "*.json")))
        else:
            yield arg


def main(schema_path, targets):
    schema = json.load(open(schema_path, encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    problems = []
    count = 0
    for path in articles(targets):
        count += 1
        article = json.load(open(path, encoding="utf-8"))
        for error in validator.iter_errors(article):
            where = "/".join(str(p) for p in error.absolute_path)
            problems.append("%s: at /%s: %s" % (path, where, error.message))
    if count == 0:
        problems.append("no article to validate in %s" % targets)
    if problems:
        print("\n".join(problems))
        return 1
    print("%d articles valid against %s" % (count, schema_path))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
