/** A script whose `read` function opens each uploaded file (`files[i].filePath`) and answers its bytes and metadata: the upload tests' function. */
export const READ_UPLOADS_CODE = `import base64, os, time

@DFF.API('Read uploads')
def read(files=None, **kwargs):
    out = []
    for f in files or []:
        with open(f['filePath'], 'rb') as fp:
            data = fp.read()
        out.append({'keys': sorted(f.keys()), 'meta': {k: v for k, v in f.items() if k != 'filePath'}, 'filePath': f['filePath'], 'b64': base64.b64encode(data).decode()})
    return {'files': out, 'kwargs': kwargs, 'uid': os.getuid(), 'pid': os.getpid()}
`;
