package org.mert4j.io;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes the pickle that {@code torch.save} writes for a state dict, without executing anything.
 * Only the opcodes torch uses are understood, and GLOBAL may name only the handful of callables a
 * state dict needs; each such callable is interpreted here by name. Tensors come out as
 * {@link TensorRef} descriptions whose bytes the caller loads and validates.
 */
final class RestrictedUnpickler {

    /** A storage named by a persistent id: zip record key, element type and declared element count. */
    record StorageRef(String key, DType dtype, long numel) {
    }

    /** A tensor view over a storage, as {@code torch._utils._rebuild_tensor_v2} describes it. */
    record TensorRef(StorageRef storage, long storageOffset, long[] size, long[] stride) {
    }

    /** A Python tuple; immutable, kept distinct from lists. */
    record Tuple(List<Object> items) {
    }

    /** A resolved, allow-listed global. */
    record Global(String module, String name) {
        String qualified() {
            return module + "." + name;
        }
    }

    private static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };
    private static final Object MARK = new Object();

    private static final Map<String, DType> STORAGES = Map.of(
            "FloatStorage", DType.F32, "HalfStorage", DType.F16, "BFloat16Storage", DType.BF16,
            "DoubleStorage", DType.F64, "LongStorage", DType.I64, "IntStorage", DType.I32,
            "ShortStorage", DType.I16, "CharStorage", DType.I8, "ByteStorage", DType.U8, "BoolStorage", DType.BOOL);

    private static final Set<String> CALLABLES = Set.of(
            "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor",
            "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state");

    /** Memo entries beyond this are hostile: torch memoises a few per tensor. */
    private static final int MAX_MEMO = 10_000_000;

    private final String file;
    private final ByteBuffer in;
    private final List<Object> stack = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private final Map<String, StorageRef> storages = new LinkedHashMap<>();

    private RestrictedUnpickler(String file, byte[] pickle) {
        this.file = file;
        this.in = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Unpickles {@code pickle}; {@code file} only names the source in error messages. */
    static Object load(String file, byte[] pickle) {
        try {
            return new RestrictedUnpickler(file, pickle).run();
        } catch (java.nio.BufferUnderflowException e) {
            throw new CheckpointException(file + ": pickle ends in the middle of an opcode; the file is truncated or corrupt");
        }
    }

    private Object run() {
        while (true) {
            int at = in.position();
            int op = in.get() & 0xff;
            switch (op) {
                case 0x80 -> { // PROTO
                    int proto = in.get() & 0xff;
                    if (proto > 5) {
                        throw fail(at, "pickle protocol " + proto + " is newer than 5");
                    }
                }
                case 0x95 -> in.getLong(); // FRAME: a length hint only
                case '.' -> { // STOP
                    Object result = pop(at);
                    if (!stack.isEmpty()) {
                        throw fail(at, "STOP with " + stack.size() + " values left on the stack");
                    }
                    return result;
                }
                case '(' -> stack.add(MARK);
                case '}' -> stack.add(new LinkedHashMap<Object, Object>());
                case ']' -> stack.add(new ArrayList<Object>());
                case ')' -> stack.add(new Tuple(List.of()));
                case 'N' -> stack.add(NONE);
                case 0x88 -> stack.add(Boolean.TRUE);
                case 0x89 -> stack.add(Boolean.FALSE);
                case 'J' -> stack.add((long) in.getInt());
                case 'K' -> stack.add((long) (in.get() & 0xff));
                case 'M' -> stack.add((long) (in.getShort() & 0xffff));
                case 0x8a -> stack.add(long1(at, in.get() & 0xff));
                case 'G' -> stack.add(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // BINFLOAT is big-endian
                case 'X' -> stack.add(utf8(at, in.getInt() & 0xffffffffL));
                case 0x8c -> stack.add(utf8(at, in.get() & 0xff));
                case 0x8d -> stack.add(utf8(at, in.getLong()));
                case 't' -> stack.add(new Tuple(popToMark(at)));
                case 0x85 -> stack.add(tupleOf(at, 1));
                case 0x86 -> stack.add(tupleOf(at, 2));
                case 0x87 -> stack.add(tupleOf(at, 3));
                case 'q' -> memoPut(at, in.get() & 0xff);
                case 'r' -> memoPut(at, in.getInt() & 0xffffffffL);
                case 0x94 -> memoPut(at, memo.size());
                case 'h' -> stack.add(memoGet(at, in.get() & 0xff));
                case 'j' -> stack.add(memoGet(at, in.getInt() & 0xffffffffL));
                case '0' -> pop(at);
                case '1' -> popToMark(at);
                case '2' -> stack.add(peek(at));
                case 's' -> {
                    Object value = pop(at);
                    Object key = pop(at);
                    dict(at, peek(at)).put(key(at, key), value);
                }
                case 'u' -> {
                    List<Object> items = popToMark(at);
                    if (items.size() % 2 != 0) {
                        throw fail(at, "SETITEMS with an odd number (" + items.size() + ") of keys and values");
                    }
                    Map<Object, Object> d = dict(at, peek(at));
                    for (int i = 0; i < items.size(); i += 2) {
                        d.put(key(at, items.get(i)), items.get(i + 1));
                    }
                }
                case 'a' -> {
                    Object value = pop(at);
                    list(at, peek(at)).add(value);
                }
                case 'e' -> {
                    List<Object> items = popToMark(at);
                    list(at, peek(at)).addAll(items);
                }
                case 'c' -> stack.add(global(at, line(at), line(at)));
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop(at);
                    Object module = pop(at);
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw fail(at, "STACK_GLOBAL needs two strings");
                    }
                    stack.add(global(at, m, n));
                }
                case 'R' -> {
                    Object args = pop(at);
                    Object callable = pop(at);
                    stack.add(reduce(at, callable, args));
                }
                case 'b' -> build(at);
                case 'Q' -> stack.add(persistentLoad(at, pop(at)));
                default -> throw fail(at, String.format("unsupported pickle opcode 0x%02x", op)
                        + "; a torch state dict uses only a small subset of pickle");
            }
        }
    }

    private Global global(int at, String module, String name) {
        String q = module + "." + name;
        boolean storage = module.equals("torch") && STORAGES.containsKey(name);
        if (!storage && !CALLABLES.contains(q)) {
            throw new CheckpointException(file + ": refusing pickle global " + q
                    + " at byte " + at + ": a state dict needs only tensors (allowed: " + allowedList() + ")");
        }
        return new Global(module, name);
    }

    private static String allowedList() {
        List<String> all = new ArrayList<>(CALLABLES);
        STORAGES.keySet().forEach(s -> all.add("torch." + s));
        Collections.sort(all);
        return String.join(", ", all);
    }

    private Object reduce(int at, Object callable, Object argsObj) {
        if (!(callable instanceof Global g) || STORAGES.containsKey(g.name())) {
            throw fail(at, "REDUCE on " + describe(callable) + ", which is not an allowed callable");
        }
        if (!(argsObj instanceof Tuple t)) {
            throw fail(at, "REDUCE arguments for " + g.qualified() + " must be a tuple but are " + describe(argsObj));
        }
        List<Object> args = t.items();
        switch (g.qualified()) {
            case "collections.OrderedDict" -> {
                if (!args.isEmpty()) {
                    throw fail(at, "OrderedDict() expected no arguments but got " + args.size());
                }
                return new LinkedHashMap<Object, Object>();
            }
            case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor" -> {
                // (storage, storage_offset, size, stride[, requires_grad, backward_hooks[, metadata]])
                if (args.size() < 4 || args.size() > 7) {
                    throw fail(at, g.name() + " expected 4 to 7 arguments but got " + args.size());
                }
                if (!(args.get(0) instanceof StorageRef s)) {
                    throw fail(at, g.name() + " expected a storage first but got " + describe(args.get(0)));
                }
                long offset = integer(at, "storage_offset", args.get(1));
                long[] size = ints(at, "size", args.get(2));
                long[] stride = ints(at, "stride", args.get(3));
                return new TensorRef(s, offset, size, stride);
            }
            case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> {
                if (args.size() < 3 || !(args.get(0) instanceof TensorRef data)) {
                    throw fail(at, g.name() + " expected (tensor, requires_grad, hooks, ...) but got " + describe(argsObj));
                }
                return data; // requires_grad and hooks do not matter for inference weights
            }
            default -> throw fail(at, "no interpretation for " + g.qualified());
        }
    }

    private void build(int at) {
        Object state = pop(at);
        Object target = peek(at);
        // torch only BUILDs empty state onto dicts; anything else would need object semantics we refuse to emulate
        boolean emptyState = state == NONE || (state instanceof Map<?, ?> m && m.isEmpty())
                || (state instanceof Tuple t && t.items().stream().allMatch(x -> x == NONE || (x instanceof Map<?, ?> m2 && m2.isEmpty())));
        if (!emptyState) {
            throw fail(at, "BUILD with non-empty state " + describe(state) + " on " + describe(target) + " is not supported");
        }
    }

    private StorageRef persistentLoad(int at, Object pid) {
        // torch 2.x: ('storage', torch.FloatStorage, '<key>', '<location>', numel)
        if (!(pid instanceof Tuple t) || t.items().size() != 5 || !"storage".equals(t.items().get(0))) {
            throw fail(at, "persistent id " + describe(pid) + " is not ('storage', <type>, <key>, <location>, <numel>)");
        }
        List<Object> p = t.items();
        if (!(p.get(1) instanceof Global g) || !g.module().equals("torch") || !STORAGES.containsKey(g.name())) {
            throw fail(at, "persistent id storage type " + describe(p.get(1)) + " is not a typed torch storage");
        }
        if (!(p.get(2) instanceof String key) || !(p.get(3) instanceof String location)) {
            throw fail(at, "persistent id key and location must be strings but are " + describe(p.get(2)) + ", " + describe(p.get(3)));
        }
        if (!location.startsWith("cpu") && !location.startsWith("cuda") && !location.startsWith("mps")) {
            throw fail(at, "storage '" + key + "' has unknown location '" + location + "'");
        }
        long numel = integer(at, "storage numel", p.get(4));
        if (numel < 0) {
            throw fail(at, "storage '" + key + "' has negative element count " + numel);
        }
        StorageRef ref = new StorageRef(key, STORAGES.get(g.name()), numel);
        StorageRef seen = storages.putIfAbsent(key, ref);
        if (seen != null && !seen.equals(ref)) {
            throw fail(at, "storage '" + key + "' is declared as " + seen + " and again as " + ref);
        }
        return seen != null ? seen : ref;
    }

    private Object long1(int at, int n) {
        if (n > 8) {
            throw fail(at, "integer of " + n + " bytes does not fit in 64 bits");
        }
        byte[] le = new byte[n];
        in.get(le);
        if (n == 0) {
            return 0L;
        }
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) {
            be[i] = le[n - 1 - i];
        }
        return new BigInteger(be).longValueExact();
    }

    private String utf8(int at, long length) {
        if (length < 0 || length > in.remaining()) {
            throw fail(at, "string of " + Long.toUnsignedString(length) + " bytes but only " + in.remaining() + " remain");
        }
        byte[] b = new byte[(int) length];
        in.get(b);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw fail(at, "string is not valid UTF-8");
        }
    }

    /** A newline-terminated ASCII line, as GLOBAL uses for module and name. */
    private String line(int at) {
        StringBuilder sb = new StringBuilder();
        while (true) {
            byte b = in.get();
            if (b == '\n') {
                return sb.toString();
            }
            if (b < 0x20 || sb.length() > 256) {
                throw fail(at, "GLOBAL name is not a short printable line");
            }
            sb.append((char) b);
        }
    }

    private Tuple tupleOf(int at, int n) {
        Object[] items = new Object[n];
        for (int i = n - 1; i >= 0; i--) {
            items[i] = pop(at);
        }
        return new Tuple(List.of(items));
    }

    private void memoPut(int at, long index) {
        if (memo.size() >= MAX_MEMO && !memo.containsKey(index)) {
            throw fail(at, "more than " + MAX_MEMO + " memo entries");
        }
        memo.put(index, peek(at));
    }

    private Object memoGet(int at, long index) {
        Object v = memo.get(index);
        if (v == null) {
            throw fail(at, "memo entry " + index + " is read before it is written");
        }
        return v;
    }

    private Object pop(int at) {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
            throw fail(at, "stack underflow");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek(int at) {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
            throw fail(at, "stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popToMark(int at) {
        int mark = stack.lastIndexOf(MARK);
        if (mark < 0) {
            throw fail(at, "no MARK on the stack");
        }
        List<Object> items = new ArrayList<>(stack.subList(mark + 1, stack.size()));
        stack.subList(mark, stack.size()).clear();
        return items;
    }

    /** Dict keys are limited to plain values so hostile self-referencing keys cannot recurse in hashCode. */
    private Object key(int at, Object k) {
        if (!(k instanceof String) && !(k instanceof Long) && !(k instanceof Boolean)) {
            throw fail(at, "dict key must be a string or integer but is " + describe(k));
        }
        return k;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(int at, Object o) {
        if (!(o instanceof Map<?, ?>)) {
            throw fail(at, "expected a dict to set items on but found " + describe(o));
        }
        return (Map<Object, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(int at, Object o) {
        if (!(o instanceof List<?>)) {
            throw fail(at, "expected a list to append to but found " + describe(o));
        }
        return (List<Object>) o;
    }

    private long integer(int at, String what, Object o) {
        if (!(o instanceof Long l)) {
            throw fail(at, what + " must be an integer but is " + describe(o));
        }
        return l;
    }

    private long[] ints(int at, String what, Object o) {
        if (!(o instanceof Tuple t)) {
            throw fail(at, what + " must be a tuple of integers but is " + describe(o));
        }
        long[] out = new long[t.items().size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = integer(at, what + "[" + i + "]", t.items().get(i));
        }
        return out;
    }

    private static String describe(Object o) {
        if (o instanceof Global g) {
            return g.qualified();
        }
        if (o instanceof String s) {
            return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
        }
        if (o instanceof Tuple t) {
            return "tuple of " + t.items().size();
        }
        return o == null ? "null" : o instanceof Long || o instanceof Boolean || o == NONE
                ? String.valueOf(o) : o.getClass().getSimpleName();
    }

    private CheckpointException fail(int at, String what) {
        return new CheckpointException(file + ": data.pkl byte " + at + ": " + what);
    }
}
