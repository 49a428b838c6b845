/**
 * Models on the Hugging Face Hub by id ({@code org/name} or {@code org/name@revision}): the local cache in
 * {@code huggingface_hub}'s own layout (read and written so that Python and mert4j share it), and the HTTP
 * client that fills it from {@code HF_ENDPOINT} with resumable, verified downloads. The README section "Models from the Hugging Face Hub" describes it for users.
 *
 * <p>May use: {@code io}. Nothing else of mert4j: the model package resolves ids through this one.
 */
package org.mert4j.hub;
