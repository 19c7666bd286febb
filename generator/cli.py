"""The ``careers`` command line: validate, export schemas, and build the site."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from generator import __version__
from generator.diagnostics import (
    FrameworkError,
    errors_in,
    format_report,
    printable,
    summary_line,
)
from generator.safe_paths import Terminated, sigterm_raises
from generator.site_config import CONFIG_FILE, SiteConfigError, SiteOptions, read_config
from generator.validation import rule_catalogue, validate_path


def default_frameworks() -> Path:
    """The frameworks folder of the site in this folder: ``frameworks_dir`` of the
    career-paths plugin in ``./mkdocs.yml``, else ``frameworks``."""
    if Path(CONFIG_FILE).is_file():
        try:
            return Path(SiteOptions.from_config(read_config(Path(CONFIG_FILE))).frameworks_dir)
        except SiteConfigError:
            pass  # the build reports it; checks of the frameworks need not stop here
    return Path(SiteOptions.frameworks_dir)


EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2

Command = Callable[[argparse.Namespace], int]

INIT_HINT = "or create a new site here with 'careers init'"
ENGINES = ("mkdocs", "zensical")
MIKE_NEEDS_MKDOCS = (
    "versioned publishing runs mike, which builds every version with MkDocs; the installed "
    "Zensical has no mike support (see 'Building with MkDocs or Zensical' in the guide). "
    "Publish with the default engine, mkdocs")


def add_engine_option(parser: argparse.ArgumentParser) -> None:
    """``--engine mkdocs|zensical``: which engine builds the pages."""
    parser.add_argument("--engine", choices=ENGINES, default="mkdocs",
                        help="the site engine: mkdocs (default) or zensical")


class UsageError(Exception):
    """The command cannot run here: the message says what is missing and how to fix it."""


def require_frameworks(path: Path, option: str = "PATH") -> None:
    """Stop with a usage error unless ``path`` is a frameworks folder (or a framework's)."""
    if not path.exists():
        raise UsageError(f"no frameworks folder at '{path}': run this in your site's folder, "
                         f"name the folder with {option}, {INIT_HINT}")
    if not path.is_dir():
        raise UsageError(f"'{path}' is a file; name the frameworks folder with {option}")


def require_config(config: Path, how: str = "name it with --config") -> None:
    """Stop with a usage error unless ``config`` (the site's ``mkdocs.yml``) exists."""
    if not config.is_file():
        raise UsageError(f"no {config} here: run this in your site's folder"
                         f"{', ' + how if how else ''}, {INIT_HINT}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``careers`` command; return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return EXIT_USAGE
    try:
        with sigterm_raises():  # SIGTERM ends the command through its clean-up code
            return args.run(args)
    except UsageError as error:
        print(f"careers {args.command}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except FrameworkError as error:  # any command that needs valid frameworks
        print(format_report(error.diagnostics), file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Terminated:
        print("terminated", file=sys.stderr)
        return 143
    except BrokenPipeError:  # the reader went away (careers diff | head): not an error
        sys.stderr.close()
        return EXIT_OK
    finally:
        if argv is None:  # the command line: only the interpreter's shutdown is left, and
            ignore_stop_signals()  # a late Ctrl-C must not turn a finished build into a kill


def ignore_stop_signals() -> None:
    """Ignore SIGINT and SIGTERM from now on (the command has done its work)."""
    import signal

    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, signal.SIG_IGN)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    parser = argparse.ArgumentParser(
        prog="careers",
        description="Validate career frameworks written in YAML and publish them as a site.",
    )
    parser.add_argument("--version", action="version", version=f"careers {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", dest="command")
    frameworks = default_frameworks()

    init = commands.add_parser(
        "init", help="create a new site repository (or add what an existing one lacks)")
    init.add_argument("folder", nargs="?", type=Path, default=Path("."), metavar="DIR",
                      help="the project folder, new or existing (default: .)")
    init.add_argument("--organisation", default="Example Organisation",
                      help="the organisation's name (home page, footer, starter framework)")
    init.add_argument("--site-name", default="",
                      help="the site's name (default: '<organisation> career paths')")
    init.add_argument("--site-url", default="",
                      help="where the site is published (default: the GitHub Pages address "
                           "of --repo-url)")
    init.add_argument("--repo-url", default="",
                      help="the repository's address, for 'edit this page' links")
    init.set_defaults(run=run_init)

    validate = commands.add_parser(
        "validate", help="check frameworks and report every problem with file:line:column"
    )
    validate.add_argument("path", nargs="?", type=Path, default=frameworks,
                          help="the frameworks folder, or one framework's folder "
                               "(default: frameworks)")
    validate.add_argument("--format", choices=("text", "github", "json"), default="text",
                          help="text (default), GitHub Actions annotations, or JSON")
    validate.add_argument("--strict", action="store_true", help="warnings fail the run too")
    validate.set_defaults(run=run_validate)

    schema = commands.add_parser("schema", help="write the JSON Schemas of the framework files")
    schema.add_argument("--out", type=Path, default=Path("schemas"),
                        help="folder to write into (default: schemas)")
    schema.set_defaults(run=run_schema)

    rules = commands.add_parser("rules", help="list the validation rules and their ids")
    rules.set_defaults(run=run_rules)

    build = commands.add_parser("build", help="validate and build the site (MkDocs or Zensical)")
    build.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="mkdocs.yml")
    build.add_argument("--site-dir", type=Path, default=None,
                       help="output folder (default: site/ next to mkdocs.yml)")
    build.add_argument("--strict", action="store_true",
                       help="warnings (of the frameworks and of the engine) fail the build")
    add_engine_option(build)
    build.set_defaults(run=run_build)

    serve = commands.add_parser("serve", help="build and serve the site with live reload")
    serve.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="mkdocs.yml")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on")
    serve.add_argument("--versions", action="store_true",
                       help="serve the published versions from the gh-pages branch (mike serve)")
    add_engine_option(serve)
    serve.set_defaults(run=run_serve)

    publish = commands.add_parser(
        "publish", help="build and deploy a version of the site with mike (gh-pages branch)")
    publish.add_argument("--version", default=None,
                         help="version label (default: the newest framework version)")
    publish.add_argument("--alias", action="append", default=None,
                         help="alias that follows this version (default: latest; repeatable)")
    publish.add_argument("--title", default=None, help="title in the version selector")
    publish.add_argument("--push", action="store_true", help="push the branch to the remote")
    publish.add_argument("--branch", default="gh-pages", help="branch to deploy to")
    publish.add_argument("--remote", default="origin", help="remote to push to")
    publish.add_argument("--list", action="store_true", dest="list_versions",
                         help="show the published versions and exit")
    add_engine_option(publish)
    publish.set_defaults(run=run_publish)

    new = commands.add_parser("new", help="scaffold a new file")
    new_kinds = new.add_subparsers(title="kinds", metavar="KIND")
    new_role = new_kinds.add_parser("role", help="a new role file with the schema line")
    new_role.add_argument("role_id", metavar="ID", help="the role id (the file name)")
    new_role.add_argument("--framework", required=True, help="framework id (its folder name)")
    new_role.add_argument("--track", required=True, help="track id")
    new_role.add_argument("--tier", required=True, help="tier id")
    new_role.add_argument("--title", default=None, help="the role's title")
    new_role.add_argument("--frameworks", type=Path, default=frameworks,
                          help="the frameworks folder (default: frameworks)")
    new_role.set_defaults(run=run_new_role)

    render = commands.add_parser(
        "render", help="write the generated docs and a config for engines without plugins "
                       "(zensical build -f OUT/mkdocs.yml)")
    render.add_argument("--out", type=Path, default=None,
                        help="output folder (default: generated/zensical beside mkdocs.yml)")
    render.add_argument("--project", type=Path, default=Path("."),
                        help="folder holding mkdocs.yml (default: .)")
    render.set_defaults(run=run_render)

    diff = commands.add_parser(
        "diff", help="what a change does to roles, criteria and pay (for pull requests); "
                     "exit 1 if it breaks a published role link")
    diff.add_argument("base", metavar="BASE",
                      help="a git revision, or a frameworks folder written as a path (./old)")
    diff.add_argument("head", metavar="HEAD", nargs="?", default=None,
                      help="a git revision or a folder (default: the working tree's --path)")
    diff.add_argument("--dir", action="store_true",
                      help="BASE and HEAD are folders, never git revisions")
    diff.add_argument("--path", type=Path, default=frameworks,
                      help="the frameworks folder, also read at each git revision "
                           "(default: frameworks)")
    diff.add_argument("--format", choices=("markdown", "json"), default="markdown",
                      help="markdown for a pull-request comment (default), or json")
    diff.add_argument("--include-internal", action="store_true",
                      help="print the figures of internal pay bands (withheld by default)")
    diff.set_defaults(run=run_diff)

    export = commands.add_parser(
        "export", help="write the competency matrix, roles and public pay bands as CSV or xlsx")
    export.add_argument("--format", choices=("csv", "xlsx"), default="xlsx",
                        help="xlsx (one workbook per framework, default) or csv (one file per "
                             "table)")
    export.add_argument("--framework", default=None, help="only this framework id")
    export.add_argument("--path", type=Path, default=frameworks,
                        help="the frameworks folder (default: frameworks)")
    export.add_argument("--out", type=Path, default=Path("exports"),
                        help="folder to write into (default: exports)")
    export.add_argument("--site-url", default=None,
                        help="base of the role addresses (default: site_url of ./mkdocs.yml)")
    export.set_defaults(run=run_export)

    maps = commands.add_parser(
        "maps", help="render the printable career map (PDF) of every role; unchanged maps "
                     "come from the cache")
    maps.add_argument("--role", default=None, help="only this role id")
    maps.add_argument("--framework", default=None, help="only this framework id")
    maps.add_argument("--path", type=Path, default=frameworks,
                      help="the frameworks folder (default: frameworks)")
    maps.add_argument("--out", type=Path, default=Path("generated/maps"),
                      help="folder to write OUT/<framework>/<role>.pdf into "
                           "(default: generated/maps)")
    maps.add_argument("--paper", choices=("a4", "letter"), default="a4",
                      help="paper size (default: a4)")
    maps.add_argument("--jobs", type=int, default=0,
                      help="worker processes (default: one per CPU core)")
    maps.add_argument("--site-url", default=None,
                      help="base of the role addresses printed in the footer "
                           "(default: site_url of ./mkdocs.yml)")
    maps.add_argument("--cache-dir", type=Path, default=None,
                      help="where rendered maps are kept between runs (default: "
                           "$CAREER_PATHS_MAPS_CACHE, else ~/.cache/career-paths/maps)")
    maps.add_argument("--no-cache", action="store_true", help="render every map again")
    maps.set_defaults(run=run_maps)
    return parser


def run_init(args: argparse.Namespace) -> int:
    """``careers init``: scaffold a site; never overwrite a file."""
    from generator.project_init import InitError, SiteDetails, init_project

    details = SiteDetails(organisation=args.organisation, site_name=args.site_name,
                          site_url=args.site_url, repo_url=args.repo_url)
    try:
        report = init_project(args.folder, details)
    except InitError as error:
        print(f"careers init: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    for path in report.created:
        print(f"created {path}")
    if report.kept:
        print(f"kept {len(report.kept)} existing file(s) as they are")
    if not report.created:
        print(f"{args.folder} has every file of a Career Paths site already; nothing changed")
        return EXIT_OK
    where = "" if args.folder == Path(".") else f"cd {args.folder} && "
    print(f"\nNext: {where}careers serve   (preview on http://127.0.0.1:8000)")
    if not details.url:
        print("Before publishing, set site_url in mkdocs.yml (or run init with --site-url).")
    return EXIT_OK


def run_validate(args: argparse.Namespace) -> int:
    """``careers validate``: print every problem; exit 1 if any error (or warning if strict)."""
    require_frameworks(args.path)
    result, diagnostics = validate_path(args.path, jobs=os.cpu_count() or 1)
    failing = diagnostics if args.strict else errors_in(diagnostics)
    if args.format == "json":
        print(format_report(diagnostics, "json"))
    elif diagnostics:
        print(format_report(diagnostics, args.format))
    if args.format == "text":
        names = ", ".join(framework.id for framework in result.frameworks)
        verdict = "invalid" if failing else "valid"
        role_count = sum(len(framework.roles) for framework in result.frameworks)
        print(f"{summary_line(diagnostics)}: frameworks {verdict} "
              f"({len(result.frameworks)} framework(s): {names or 'none'}; {role_count} roles)",
              file=sys.stderr)
    return EXIT_INVALID if failing else EXIT_OK


def run_schema(args: argparse.Namespace) -> int:
    """``careers schema``: write the JSON Schema files."""
    from generator.schema import write_schemas  # builds every model's schema: only here

    for path in write_schemas(args.out):
        print(path)
    return EXIT_OK


def run_rules(args: argparse.Namespace) -> int:
    """``careers rules``: the catalogue of semantic rules."""
    for rule_id, severity, description in rule_catalogue():
        print(f"{rule_id:24} {severity:8} {description}")
    return EXIT_OK


def run_build(args: argparse.Namespace) -> int:
    """``careers build``: the whole site, atomically replacing the previous one."""
    from generator.site_build import SiteBuildError, build_site

    require_config(args.config)
    show_mkdocs_log(logging.WARNING)  # what MkDocs warns about, and what made --strict stop
    try:
        site = build_site(args.config, args.site_dir, strict=args.strict, engine=args.engine)
    except SiteBuildError as error:
        kept = "the previous site is unchanged" if error.site_kept else "no site was built"
        print(f"careers: build failed, {kept}.\n{error}", file=sys.stderr)
        return EXIT_INVALID
    print(f"site built in {site}")
    return EXIT_OK


def run_serve(args: argparse.Namespace) -> int:
    """``careers serve``: build, serve and rebuild on every change, with either engine."""
    from generator.site_serve import serve_site

    require_config(args.config)
    if args.versions:
        if args.engine != "mkdocs":
            raise UsageError(MIKE_NEEDS_MKDOCS)
        from generator.publish import serve_versions

        serve_versions(args.config.resolve().parent, args.dev_addr)
        return EXIT_OK
    show_mkdocs_log()
    try:
        serve_site(args.config, args.dev_addr, engine=args.engine)
    except OSError as error:
        host, _, port = args.dev_addr.rpartition(":")
        print(f"careers: error: cannot serve on {args.dev_addr}: {error.strerror}. "
              f"Pass another address, for example --dev-addr {host}:{int(port or 8000) + 1}",
              file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


class _QuietDirtyBuildWarning(logging.Filter):
    """Hides MkDocs' notice about dirty builds: ``careers serve`` chooses them on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "dirty" not in record.getMessage()


class _PrintableMessage(logging.Formatter):
    """MkDocs' format, with control characters in messages written as escapes."""

    def format(self, record: logging.LogRecord) -> str:
        lines = super().format(record).splitlines() or [""]
        return "\n".join(printable(line) for line in lines)


def show_mkdocs_log(level: int = logging.INFO) -> None:
    """Print the engine's and our messages from ``level`` up (what is built, where it is
    served, problems) on stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_PrintableMessage("%(levelname)-7s -  %(message)s"))
    handler.addFilter(_QuietDirtyBuildWarning())
    handler.setLevel(level)
    for name in ("mkdocs", "career_paths"):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(min(level, logging.INFO))


def run_new_role(args: argparse.Namespace) -> int:
    """``careers new role``: write a valid role file to start from."""
    from generator.scaffold import ScaffoldError, new_role
    from generator.validation import load_valid_frameworks

    require_frameworks(args.frameworks, "--frameworks")
    if not (args.frameworks / args.framework).is_dir():
        raise UsageError(f"no framework '{args.framework}' in {args.frameworks}/")
    try:
        frameworks, _ = load_valid_frameworks(args.frameworks / args.framework)
        path = new_role(frameworks[0], args.role_id, args.track, args.tier, args.title)
    except ScaffoldError as error:
        print(f"careers: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(f"created {path}")
    print("Next: fill in the text, then add the new id to the 'next' or 'lateral' list of the "
          "role(s) people come from, and run 'careers validate'.")
    return EXIT_OK


def run_publish(args: argparse.Namespace) -> int:
    """``careers publish``: deploy a version with mike, or list what is published."""
    from generator.publish import PublishError, list_published, publish

    project = Path.cwd()
    require_config(Path("mkdocs.yml"), how="")
    if args.engine != "mkdocs":
        raise UsageError(MIKE_NEEDS_MKDOCS)
    if args.list_versions:
        published = list_published(project, args.branch)
        if not published:
            print(f"nothing is published on the {args.branch} branch yet")
        for entry in published:
            aliases = f" [{', '.join(entry.aliases)}]" if entry.aliases else ""
            print(f"{entry.version}{aliases}  {entry.title}")
        return EXIT_OK
    try:
        version = publish(project, version=args.version, aliases=tuple(args.alias or ["latest"]),
                          push=args.push, branch=args.branch, remote=args.remote,
                          title=args.title, frameworks_dir=default_frameworks().as_posix())
    except PublishError as error:
        print(f"careers: publish failed: {error}", file=sys.stderr)
        return EXIT_INVALID
    print(f"published version {version} to the {args.branch} branch"
          + (" and pushed it" if args.push else "; push with --push or git push"))
    return EXIT_OK


def run_render(args: argparse.Namespace) -> int:
    """``careers render``: pages and config for Zensical or any engine without plugins."""
    from generator.safe_paths import UnsafePathError
    from generator.zensical_build import render_zensical_project

    require_config(args.project / "mkdocs.yml", how="name its folder with --project")
    try:
        config = render_zensical_project(args.project / "mkdocs.yml", args.out)
    except (UnsafePathError, SiteConfigError) as error:
        print(f"careers render: error: {error}", file=sys.stderr)
        return EXIT_INVALID
    print(f"rendered; build with: zensical build -f {config}")
    return EXIT_OK


def run_diff(args: argparse.Namespace) -> int:
    """``careers diff``: Markdown or JSON of the changes; exit 1 on broken links or errors."""
    from generator.diff_report import build_report, render_json, render_markdown
    from generator.diff_states import DiffUsageError, InvalidStateError, load_states

    if args.dir and args.head is None:
        print("careers diff: error: --dir needs two folders: careers diff --dir OLD NEW",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        base, head = load_states(args.base, args.head, args.path, folders=args.dir)
    except DiffUsageError as error:
        print(f"careers diff: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except InvalidStateError as invalid:
        for label, diagnostics in invalid.problems:
            print(f"careers diff: {printable(label)} has errors:", file=sys.stderr)
            print(format_report(diagnostics), file=sys.stderr)
        return EXIT_INVALID
    report = build_report(base, head, include_internal=args.include_internal)
    print(render_json(report) if args.format == "json" else render_markdown(report).rstrip())
    return EXIT_INVALID if report.broken else EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    """``careers export``: spreadsheets of the frameworks (public data only)."""
    from generator.export import default_site_url, write_export
    from generator.validation import load_valid_frameworks

    require_frameworks(args.path, "--path")
    frameworks, _ = load_valid_frameworks(args.path)
    if args.framework is not None:
        frameworks = [f for f in frameworks if f.id == args.framework]
        if not frameworks:
            print(f"careers export: error: no framework '{args.framework}' in {args.path}",
                  file=sys.stderr)
            return EXIT_USAGE
    site_url = args.site_url if args.site_url is not None else default_site_url(Path("mkdocs.yml"))
    for path in write_export(frameworks, args.format, args.out, site_url):
        print(path)
    return EXIT_OK


def run_maps(args: argparse.Namespace) -> int:
    """``careers maps``: one PDF per role, rendered in parallel, unchanged ones from cache."""
    from generator.export import default_site_url
    from generator.pdf_maps import MapOptions, build_maps, default_cache_dir
    from generator.safe_paths import Project, UnsafePathError, check_output_folder
    from generator.templating import TEMPLATES_DIR
    from generator.validation import load_valid_frameworks

    require_frameworks(args.path, "--path")
    frameworks, _ = load_valid_frameworks(args.path)
    chosen = [f for f in frameworks if args.framework in (None, f.id)
              and (args.role is None or args.role in f.roles)]
    if not chosen:
        wanted = " ".join(filter(None, [args.framework and f"framework '{args.framework}'",
                                        args.role and f"role '{args.role}'"]))
        print(f"careers maps: error: no {wanted} in {args.path}", file=sys.stderr)
        return EXIT_USAGE
    site_url = args.site_url if args.site_url is not None else default_site_url(Path("mkdocs.yml"))
    cache_dir = None if args.no_cache else args.cache_dir or default_cache_dir()
    options = MapOptions(paper=args.paper, site_url=site_url, jobs=args.jobs,
                         cache_dir=cache_dir)
    try:
        out = check_output_folder(args.out, Project.of(Path.cwd(), args.path, TEMPLATES_DIR),
                                  "the maps")
        report = build_maps(chosen, out, options, role_id=args.role)
    except UnsafePathError as error:
        print(f"careers maps: error: {error}", file=sys.stderr)
        return EXIT_INVALID
    print(f"{report.summary()}; written to {args.out}/<framework>/<role>.pdf")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
