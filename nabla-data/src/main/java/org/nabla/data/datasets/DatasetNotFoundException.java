package org.nabla.data.datasets;

import java.io.IOException;

/** No files of a dataset were found; the message lists the folders looked in and the file names expected. */
public final class DatasetNotFoundException extends IOException {
    /** An exception whose message says which files are missing and how to install them. */
    public DatasetNotFoundException(String message) { super(message); }
}
