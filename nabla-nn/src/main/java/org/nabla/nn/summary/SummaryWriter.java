package org.nabla.nn.summary;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import org.nabla.Tensor;

/**
 * Writes summaries (scalars, histograms, images, text, hyperparameters) into a TensorFlow event file that TensorBoard
 * reads, like {@code tf.summary.create_file_writer}: {@code events.out.tfevents.<secs>.<host>.<pid>.<n>} in the log
 * folder, starting with the file-version event.
 *
 * <p>Calls only encode and queue a record; a background thread appends the queued records to the file every flush
 * interval ({@link #flush} and {@link #close} at once, a shutdown hook when the JVM exits). Records reach the file
 * whole and in order, and nothing is written after a failed write, so a reader sees whole records, at worst followed
 * by one record cut short when the process dies mid-write (TensorBoard ignores such a tail). Safe to call from several
 * threads.
 */
public final class SummaryWriter implements AutoCloseable {
    /** How often queued records reach the file unless {@link #flush} is called. */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(2);

    private static final AtomicInteger FILES = new AtomicInteger();
    private static final String HOST = hostName();  // looked up once: a lookup can take milliseconds
    /** One daemon thread flushes every writer of the process, so a writer left open holds no thread of its own. */
    private static final ScheduledExecutorService FLUSHER = Executors.newSingleThreadScheduledExecutor(r -> Thread
            .ofPlatform().daemon().name("nabla-summary-flush").unstarted(r));
    /** The writers not yet closed: flushed when the JVM exits (System.exit, Ctrl-C), so their last records stay. */
    private static final Set<SummaryWriter> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("nabla-summary-exit-flush").unstarted(() -> {
            for (SummaryWriter w : OPEN) w.flushQuietly();
        }));
    }

    private final Path file;
    private final FileChannel channel;
    private final DoubleSupplier clock;
    private final Object queueLock = new Object();
    private final Object fileLock = new Object();
    private ByteArrayOutputStream queued = new ByteArrayOutputStream();  // whole framed records, guarded by queueLock
    private final ScheduledFuture<?> flushes;
    private volatile IOException failure;  // the first failed write; nothing is written after it
    private volatile boolean closed;

    /** A writer into a new event file in {@code logDir} (created if missing), flushed every 2 seconds. */
    public static SummaryWriter create(Path logDir) throws IOException {
        return create(logDir, DEFAULT_FLUSH_INTERVAL);
    }

    /** A writer into a new event file in {@code logDir}, flushed every {@code flushInterval}. */
    public static SummaryWriter create(Path logDir, Duration flushInterval) throws IOException {
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("the flush interval must be positive, got " + flushInterval);
        }
        long secs = System.currentTimeMillis() / 1000;
        String name = "events.out.tfevents." + secs + "." + HOST + "." + ProcessHandle.current().pid() + "."
                + FILES.getAndIncrement();
        return new SummaryWriter(logDir.resolve(name), () -> System.currentTimeMillis() / 1000.0, flushInterval);
    }

    /** A writer into exactly {@code file} with a given clock (golden-file tests). */
    SummaryWriter(Path file, DoubleSupplier clock, Duration flushInterval) throws IOException {
        this.file = file;
        this.clock = clock;
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        // CREATE_NEW: never append to a file an earlier writer may have left with a torn last record
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        enqueue(EventProtos.fileVersionEvent(clock.getAsDouble()));
        long ms = Math.max(1, flushInterval.toMillis());
        this.flushes = FLUSHER.scheduleWithFixedDelay(this::flushQuietly, ms, ms, TimeUnit.MILLISECONDS);
        OPEN.add(this);
    }

    /** The event file written. */
    public Path file() { return file; }

    /** A scalar (a loss, a metric, a learning rate) at {@code step}; TensorBoard stores it as a 32-bit float. */
    public void scalar(String tag, double value, long step) { value(step, EventProtos.scalar(tag, (float) value)); }

    /** A histogram (of weights, activations...) at {@code step}, shown in TensorBoard's Histograms tab. */
    public void histogram(String tag, Histogram histogram, long step) {
        value(step, EventProtos.histogram(tag, histogram));
    }

    /** The histogram of a tensor's values in {@link Histogram#DEFAULT_BUCKETS} buckets. */
    public void histogram(String tag, Tensor values, long step) {
        histogram(tag, Histogram.of(Images.doubles(values, "histogram '" + tag + "'"), Histogram.DEFAULT_BUCKETS),
                step);
    }

    /**
     * Images: a tensor {@code [height, width, channels]} or {@code [n, height, width, channels]} with 1, 3 or 4
     * channels, floating values in [0, 1] (clipped) or uint8. Several images get tags {@code tag/0}, {@code tag/1}...
     */
    public void image(String tag, Tensor images, long step) {
        Images.Batch batch = Images.of(images, "image '" + tag + "'");
        for (int i = 0; i < batch.count(); i++) {
            String t = batch.count() == 1 ? tag : tag + "/" + i;
            imagePng(t, Png.encode(batch.pixels(i), batch.height(), batch.width(), batch.channels()), batch.height(),
                    batch.width(), batch.channels(), step);
        }
    }

    /** An already encoded PNG image (a chart); its size and channels are read from its header. */
    public void imagePng(String tag, byte[] png, long step) {
        Png.Header h = Png.header(png);
        imagePng(tag, png, h.height(), h.width(), h.channels(), step);
    }

    private void imagePng(String tag, byte[] png, int height, int width, int channels, long step) {
        value(step, EventProtos.image(tag, height, width, channels, png));
    }

    /** Text, rendered by TensorBoard's Text tab as Markdown (indent lines by four spaces for fixed-width text). */
    public void text(String tag, String markdown, long step) { value(step, EventProtos.text(tag, markdown)); }

    /**
     * The run's hyperparameters for the HParams tab (values: numbers, strings, booleans); TensorBoard pairs them with
     * the scalars of this folder and its subfolders.
     */
    public void hparams(Map<String, Object> hparams) {
        double now = clock.getAsDouble();
        value(0, EventProtos.pluginValue("_hparams_/session_start_info", "hparams",
                EventProtos.hparamsSessionStart(hparams, now)));
    }

    /** A serialized TensorFlow {@code GraphDef} for the Graphs tab. */
    public void graph(byte[] graphDef) { enqueue(EventProtos.graphEvent(clock.getAsDouble(), graphDef)); }

    private void value(long step, ProtoWriter value) {
        enqueue(EventProtos.summaryEvent(clock.getAsDouble(), step, value));
    }

    private void enqueue(byte[] event) {
        if (closed) throw new IllegalStateException("SummaryWriter " + file + " is closed");
        rethrowFailure();
        byte[] record = TfRecords.frame(event);
        synchronized (queueLock) {
            queued.writeBytes(record);
        }
    }

    /** Appends every queued record to the file now. */
    public void flush() {
        synchronized (fileLock) {
            if (!channel.isOpen()) return;
            rethrowFailure();
            byte[] bytes;
            synchronized (queueLock) {
                bytes = queued.toByteArray();
                queued = new ByteArrayOutputStream();
            }
            if (bytes.length == 0) return;
            try {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) channel.write(b);
            } catch (IOException e) {
                failure = e;  // the file may end in a torn record now: write nothing after it
                rethrowFailure();
            }
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            // kept in failure; the next call on the writer reports it
        }
    }

    private void rethrowFailure() {
        IOException f = failure;
        if (f != null) {
            throw new UncheckedIOException("SummaryWriter: writing " + file + " failed: " + f.getMessage(), f);
        }
    }

    /** Flushes, syncs the file to storage and closes it; later calls fail, a second close does nothing. */
    @Override
    public void close() {
        if (closed) return;
        flushes.cancel(false);
        OPEN.remove(this);
        try {
            flush();
            synchronized (fileLock) {
                channel.force(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("SummaryWriter: syncing " + file + " failed: " + e.getMessage(), e);
        } finally {
            closed = true;
            try {
                channel.close();
            } catch (IOException ignored) {
                // the data was written or its failure reported above
            }
        }
    }

    /** The host name for file names, letters, digits, '-' and '.' only. */
    private static String hostName() {
        String h;
        try {
            h = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            h = "localhost";
        }
        return h.replaceAll("[^A-Za-z0-9.-]", "_");
    }
}
