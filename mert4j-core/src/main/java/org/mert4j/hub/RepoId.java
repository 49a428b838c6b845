package org.mert4j.hub;

import java.util.regex.Pattern;

/**
 * A model repository on the Hub and the revision asked for: {@code org/name} (revision {@code main}) or
 * {@code org/name@revision}, where the revision is a branch, a tag or a 40-hex commit hash.
 */
public record RepoId(String repo, String revision) {
    public static final String DEFAULT_REVISION = "main";

    // the Hub's repository names: letters, digits, '-', '_', '.'; no '--' or '..' (reserved in cache folder names)
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    public RepoId {
        if (!isRepo(repo)) {
            throw new IllegalArgumentException("not a Hub model id: '" + repo + "' (expected org/name)");
        }
        if (revision == null || revision.isBlank() || revision.contains("..") || revision.startsWith("/")
                || revision.endsWith("/")) {
            throw new IllegalArgumentException("not a revision: '" + revision + "' (expected a branch, tag or"
                    + " commit hash)");
        }
    }

    /** Whether {@code text} has the form of a model id ({@code org/name}, optionally {@code @revision}). */
    public static boolean looksLikeId(String text) {
        int at = text.indexOf('@');
        String repo = at < 0 ? text : text.substring(0, at);
        return isRepo(repo) && (at < 0 || at < text.length() - 1);
    }

    public static RepoId parse(String text) {
        int at = text.indexOf('@');
        return at < 0 ? new RepoId(text, DEFAULT_REVISION)
                : new RepoId(text.substring(0, at), text.substring(at + 1));
    }

    private static boolean isRepo(String repo) {
        if (repo == null) {
            return false;
        }
        String[] parts = repo.split("/", -1);
        return parts.length == 2 && PART.matcher(parts[0]).matches() && PART.matcher(parts[1]).matches()
                && !repo.contains("--") && !repo.contains("..");
    }

    /** Whether the revision is a full commit hash (then the cache can answer without asking the Hub). */
    public boolean pinned() {
        return isCommit(revision);
    }

    static boolean isCommit(String s) {
        return s != null && COMMIT.matcher(s).matches();
    }

    /** The cache folder name huggingface_hub uses: {@code models--org--name}. */
    public String folderName() {
        return "models--" + repo.replace("/", "--");
    }

    /** The model's own name, without the organisation. */
    public String name() {
        return repo.substring(repo.indexOf('/') + 1);
    }

    @Override
    public String toString() {
        return revision.equals(DEFAULT_REVISION) ? repo : repo + "@" + revision;
    }
}
