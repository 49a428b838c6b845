package org.mert4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Access to the committed fixtures written by tools/reference/make_bin_fixtures.py. */
final class Fixtures {

    private Fixtures() {
    }

    static Path path(String name) {
        URL url = Fixtures.class.getResource("/io/" + name);
        if (url == null) {
            throw new IllegalStateException("missing test fixture io/" + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode expected() throws IOException {
        return new ObjectMapper().readTree(path("expected.json").toFile());
    }

    /** All records of a zip, in order. */
    static Map<String, byte[]> unzip(Path zip) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (Enumeration<? extends ZipEntry> en = z.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                try (InputStream in = z.getInputStream(e)) {
                    out.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return out;
    }

    /** Writes records as an uncompressed zip, like torch.save does. */
    static Path zip(Path file, Map<String, byte[]> records) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> r : records.entrySet()) {
                ZipEntry e = new ZipEntry(r.getKey());
                e.setMethod(ZipEntry.STORED);
                e.setSize(r.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(r.getValue());
                e.setCrc(crc.getValue());
                z.putNextEntry(e);
                z.write(r.getValue());
                z.closeEntry();
            }
        }
        return file;
    }

    /** A copy of the fixture state dict with one record replaced (or removed when the editor returns null). */
    static Path editedBin(Path dir, String record, UnaryOperator<byte[]> editor) throws IOException {
        Map<String, byte[]> records = unzip(path("state_dict.bin"));
        Map<String, byte[]> edited = new LinkedHashMap<>();
        boolean found = false;
        for (Map.Entry<String, byte[]> r : records.entrySet()) {
            if (r.getKey().endsWith("/" + record)) {
                found = true;
                byte[] b = editor.apply(r.getValue());
                if (b != null) {
                    edited.put(r.getKey(), b);
                }
            } else {
                edited.put(r.getKey(), r.getValue());
            }
        }
        if (!found) {
            throw new IllegalStateException("fixture has no record " + record + ": " + records.keySet());
        }
        return zip(dir.resolve("pytorch_model.bin"), edited);
    }
}
