package org.lepistream.streams.models;

import java.nio.file.Path;
import org.lepistream.schemas.ModelRelease;

/** Where released model bundles live; the service asks it for a local directory holding a release's bundle. */
public interface ModelStore {

    /**
     * A local directory with the release's bundle (a remote store downloads it first).
     *
     * @throws IllegalArgumentException when the bundle URI cannot be served by this store
     */
    Path locate(ModelRelease release);
}
