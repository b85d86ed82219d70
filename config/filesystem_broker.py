"""The embedded file-system broker of the demo, with atomic message files.

kombu's file-system transport creates the message file, then locks and writes it; a worker
listing the folder in between moves and reads an empty file and dies on the JSON decoding (seen
in our queue tests). Here a message is written under a temporary name that the worker ignores,
then renamed into place: a rename within one folder is atomic, so a worker only ever sees whole
messages. Registered as the ``filesystem://`` transport by ``config.celery``.
"""

import os
import uuid
from time import monotonic
from typing import Any

from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    # kombu's stubs name the argument "message" in the base channel and "payload" here: the
    # override follows the class it replaces.
    def _put(self, queue: str, payload: dict[str, Any], **kwargs: Any) -> None:  # type: ignore[override]
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        folder = self.data_folder_out
        # No "." before the queue name: the worker's filter (``<queue>.msg``) skips it.
        partial = os.path.join(folder, f"partial-{uuid.uuid4().hex}")
        with open(partial, "wb") as file:
            file.write(str_to_bytes(dumps(payload)))
        os.replace(partial, os.path.join(folder, name))


class Transport(filesystem.Transport):
    Channel = Channel
