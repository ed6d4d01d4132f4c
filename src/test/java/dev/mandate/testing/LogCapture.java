package dev.mandate.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects every log record Mandate writes while it is open, formatted as a reader would see it. */
public final class LogCapture extends Handler implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger root = Logger.getLogger("");
    private final Logger mandate = Logger.getLogger("dev.mandate");
    private final Level previous = mandate.getLevel();

    public LogCapture() {
        setLevel(Level.ALL);
        mandate.setLevel(Level.ALL);
        root.addHandler(this);
    }

    @Override
    public void publish(LogRecord r) {
        records.add(r);
        String msg = r.getMessage();
        Object[] params = r.getParameters();
        if (params != null && params.length > 0) {
            try {
                msg = msg.contains("%") ? String.format(msg, params) : java.text.MessageFormat.format(msg, params);
            } catch (RuntimeException e) {
                msg = msg + " " + java.util.Arrays.toString(params);
            }
        }
        lines.add(r.getLevel() + " " + r.getLoggerName() + " " + msg
                + (r.getThrown() == null ? "" : " " + r.getThrown()));
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public List<LogRecord> records() {
        return List.copyOf(records);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        root.removeHandler(this);
        mandate.setLevel(previous);
    }
}
