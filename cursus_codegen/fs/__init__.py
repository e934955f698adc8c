"""Phase 0, fs: every touch of the file system that can change an answer goes through here.

`reads` is the one way generation looks at files (each read and probe recorded, so a cache can
replay it; `probes` asks the questions themselves); `writer` is the one way a command writes or
deletes a file (inside its own root, never through a link); `store` is the user cache (one
trusted folder, entries that are data).
"""
