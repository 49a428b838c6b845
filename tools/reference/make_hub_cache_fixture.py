#!/usr/bin/env python3
"""A Hugging Face cache made by Python's huggingface_hub, for the test that mert4j reads it as it is.

    python3 tools/reference/make_hub_cache_fixture.py

Serves examples/tiny-mert as the repository mert4j-test/tiny-mert from a local stand-in of the Hub's file
endpoints (HEAD/GET /{repo}/resolve/{revision}/{file}, answered as huggingface.co answers them: X-Repo-Commit,
the git blob sha1 as ETag of small files, and for the LFS file model.safetensors a 302 to another host with
X-Linked-Etag (its sha256) and X-Linked-Size), points HF_ENDPOINT at it and HF_HUB_CACHE at a temporary folder,
and downloads config.json, preprocessor_config.json and model.safetensors with huggingface_hub.hf_hub_download,
then asks for model.safetensors.index.json, which the repository lacks (so the cache also records a .no_exist
entry, as after loading with transformers). The resulting cache folder, exactly as huggingface_hub left it
(blobs by ETag, snapshots/COMMIT/FILE as relative symlinks, refs/main, .no_exist, .locks, CACHEDIR.TAG), is
copied, symlinks kept, to mert4j-core/src/test/resources/hub/python-cache/. Needs huggingface_hub; the tests
never run Python, they read the committed files.

The other direction, that huggingface_hub reads a cache mert4j filled:

    python3 tools/reference/make_hub_cache_fixture.py --check CACHE

opens mert4j-test/tiny-mert@main from the cache folder CACHE with hf_hub_download(local_files_only=True) and
checks each file's bytes against examples/tiny-mert. To let mert4j fill such a cache from the same stand-in:

    python3 tools/reference/make_hub_cache_fixture.py --serve 8765 &
    HF_ENDPOINT=http://127.0.0.1:8765 HF_HUB_CACHE=/tmp/mert4j-cache ./mert info --model mert4j-test/tiny-mert
    python3 tools/reference/make_hub_cache_fixture.py --check /tmp/mert4j-cache

(any mert command that takes a model id will do). HubCacheInteropTest checks the same without Python: mert4j,
downloading from its own stand-in of the Hub with this fixture's commit, lays out the very files and links
huggingface_hub laid out here.
"""
import argparse
import hashlib
import http.server
import os
import shutil
import sys
import tempfile
import threading
import urllib.parse

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
MODEL = os.path.join(ROOT, "examples", "tiny-mert")
OUT = os.path.join(ROOT, "mert4j-core", "src", "test", "resources", "hub", "python-cache")
REPO = "mert4j-test/tiny-mert"
FILES = ["config.json", "preprocessor_config.json", "model.safetensors"]
MISSING = "model.safetensors.index.json"
# a fixed commit: the sha1 of a name, so that the fixture is the same on every run
COMMIT = hashlib.sha1(b"mert4j-test/tiny-mert fixture commit").hexdigest()
LFS_SUFFIXES = (".safetensors", ".bin")


def git_blob_sha1(data):
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def served_files():
    files = {}
    for name in FILES:
        with open(os.path.join(MODEL, name), "rb") as f:
            data = f.read()
        lfs = name.endswith(LFS_SUFFIXES)
        files[name] = {"data": data, "lfs": lfs,
                       "etag": hashlib.sha256(data).hexdigest() if lfs else git_blob_sha1(data)}
    return files


def make_handler(files, requests):
    by_sha = {f["etag"]: f for f in files.values() if f["lfs"]}

    class Hub(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):
            pass

        def do_HEAD(self):
            self.answer(head=True)

        def do_GET(self):
            self.answer(head=False)

        def empty(self, status, headers=()):
            self.send_response(status)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def body(self, data, head, headers=()):
            self.send_response(200)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Accept-Ranges", "bytes")
            self.end_headers()
            if not head:
                self.wfile.write(data)

        def answer(self, head):
            path = urllib.parse.urlsplit(self.path).path
            requests.append(f"{self.command} {self.headers.get('Host')} {path}")
            if path.startswith("/cdn/"):  # the storage LFS files are redirected to
                f = by_sha.get(path[len("/cdn/"):])
                return self.empty(404) if f is None else self.body(f["data"], head)
            parts = path.lstrip("/").split("/", 4)
            if len(parts) < 5 or parts[2] != "resolve":
                return self.empty(404)
            repo = parts[0] + "/" + parts[1]
            revision = urllib.parse.unquote(parts[3])
            name = urllib.parse.unquote(parts[4])
            if repo != REPO:
                return self.empty(404, [("X-Error-Code", "RepoNotFound"), ("X-Error-Message", "Repository not found")])
            if revision not in ("main", COMMIT):
                return self.empty(404, [("X-Error-Code", "RevisionNotFound"),
                                        ("X-Error-Message", f"Invalid rev id: {revision}")])
            f = files.get(name)
            if f is None:
                return self.empty(404, [("X-Error-Code", "EntryNotFound"), ("X-Error-Message", "Entry not found"),
                                        ("X-Repo-Commit", COMMIT)])
            common = [("X-Repo-Commit", COMMIT)]
            if f["lfs"]:
                # as huggingface.co: a redirect to another host, the blob's identity in the X-Linked-* headers
                host, port = self.server.server_address[:2]
                cdn = f"http://localhost:{port}/cdn/{f['etag']}"
                return self.empty(302, common + [("ETag", f'"{f["etag"]}"'), ("X-Linked-Etag", f'"{f["etag"]}"'),
                                                 ("X-Linked-Size", str(len(f["data"]))), ("Location", cdn)])
            return self.body(f["data"], head, common + [("ETag", f'"{f["etag"]}"')])

    return Hub


def start_server(port=0):
    requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), make_handler(served_files(), requests))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, requests


def copy_tree(src, dst):
    """Copies a folder as it is: symlinks as symlinks (their targets unchanged), files with their bytes."""
    shutil.copytree(src, dst, symlinks=True)


def generate():
    server, requests = start_server()
    endpoint = f"http://127.0.0.1:{server.server_address[1]}"
    with tempfile.TemporaryDirectory() as tmp:
        cache = os.path.join(tmp, "hub")
        # huggingface_hub reads these when imported: set them first
        os.environ["HF_ENDPOINT"] = endpoint
        os.environ["HF_HUB_CACHE"] = cache
        os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
        os.environ["HF_HUB_DISABLE_XET"] = "1"
        os.environ.pop("HF_HUB_OFFLINE", None)
        os.environ.pop("HF_TOKEN", None)
        import huggingface_hub
        from huggingface_hub.errors import EntryNotFoundError

        for name in FILES:
            path = huggingface_hub.hf_hub_download(REPO, name, token=False)
            with open(path, "rb") as f, open(os.path.join(MODEL, name), "rb") as g:
                assert f.read() == g.read(), name
        try:
            huggingface_hub.hf_hub_download(REPO, MISSING, token=False)
            raise AssertionError(MISSING + " should be missing")
        except EntryNotFoundError:
            pass
        server.shutdown()
        assert any(r.startswith("GET localhost") for r in requests), requests  # the weights came off-site

        if os.path.exists(OUT):
            shutil.rmtree(OUT)
        os.makedirs(os.path.dirname(OUT), exist_ok=True)
        copy_tree(cache, OUT)
    print(f"huggingface_hub {huggingface_hub.__version__}, commit {COMMIT}; wrote {os.path.relpath(OUT, ROOT)}:")
    for dirpath, dirnames, filenames in sorted(os.walk(OUT)):
        dirnames.sort()
        for n in sorted(filenames):
            p = os.path.join(dirpath, n)
            rel = os.path.relpath(p, OUT)
            print("  " + rel + (" -> " + os.readlink(p) if os.path.islink(p) else f" ({os.path.getsize(p)} bytes)"))


def check(cache):
    os.environ["HF_HUB_CACHE"] = os.path.abspath(cache)
    os.environ["HF_HUB_OFFLINE"] = "1"
    import huggingface_hub

    for name in FILES:
        path = huggingface_hub.hf_hub_download(REPO, name, cache_dir=os.path.abspath(cache), local_files_only=True)
        with open(path, "rb") as f, open(os.path.join(MODEL, name), "rb") as g:
            if f.read() != g.read():
                sys.exit(f"{path}: bytes differ from examples/tiny-mert/{name}")
        print(f"{name}: {path} ({'symlink -> ' + os.readlink(path) if os.path.islink(path) else 'file'}), bytes equal")
    print(f"huggingface_hub {huggingface_hub.__version__} reads {REPO} from {cache}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", metavar="CACHE", help="read mert4j-test/tiny-mert from this cache with"
                    " huggingface_hub, offline, and compare the bytes")
    ap.add_argument("--serve", metavar="PORT", type=int, help="only serve the repository on this port until"
                    " interrupted")
    args = ap.parse_args()
    if args.check:
        check(args.check)
    elif args.serve is not None:
        server, requests = start_server(args.serve)
        print(f"serving {REPO} (commit {COMMIT}) at http://127.0.0.1:{server.server_address[1]}", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            server.shutdown()
    else:
        generate()


if __name__ == "__main__":
    main()
