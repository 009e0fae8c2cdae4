"""A tiny, randomly initialised XTTS v2 checkpoint in the layout of the real one.

Why: the real xtts_v2 weights (1.8 GB) come from Coqui's hub, which is unreachable here. The
architecture, config, tokenizer file, state dict and every line of loading, cloning and streaming
code are the real coqui-tts ones; only the layer sizes are shrunk and the weights are random, so
the speech is noise-like, but its length, rate, order and the cloning latents are real outputs.
"""

from __future__ import annotations

from pathlib import Path

LANGUAGES = ["en", "de", "fr", "es"]
_SPECIALS = ["[STOP]", "[UNK]", "[SPACE]", "[START]", *(f"[{lang}]" for lang in LANGUAGES)]
_ALPHABET = "abcdefghijklmnopqrstuvwxyzäöüßéèàçñ0123456789.,!?'-"


def write_vocab(path: Path) -> None:
    """A character-level BPE tokenizer with XTTS's special tokens (``[en]``, ``[SPACE]``, ...)."""
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers  # noqa: PLC0415

    tokenizer = Tokenizer(models.BPE(unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    trainer = trainers.BpeTrainer(vocab_size=120, special_tokens=_SPECIALS, show_progress=False)
    tokenizer.train_from_iterator([" ".join(_ALPHABET), "the quick brown fox jumps"],
                                  trainer=trainer)
    tokenizer.save(str(path))


def build_tiny_xtts(model_dir: Path, *, seed: int = 0, full_size: bool = False,
                    max_audio_tokens: int = 48) -> Path:
    """Write ``config.json``, ``vocab.json`` and ``model.pth`` for a random XTTS.

    Tiny (~22M parameters, most of them the fixed-size HiFi-GAN decoder and speaker encoder) by
    default; ``full_size`` gives the GPT of xtts_v2's published config (30 layers, 1024 wide,
    16 heads, 1026 audio codes), for benchmarks that want its real compute cost.
    """
    import torch  # noqa: PLC0415
    from tokenizers import Tokenizer  # noqa: PLC0415

    from nimbus.voices.xtts_imports import import_xtts  # noqa: PLC0415

    xtts = import_xtts()
    from TTS.tts.configs.xtts_config import XttsConfig  # noqa: PLC0415

    model_dir.mkdir(parents=True, exist_ok=True)
    write_vocab(model_dir / "vocab.json")
    vocab = Tokenizer.from_file(str(model_dir / "vocab.json"))

    config = XttsConfig()
    config.languages = list(LANGUAGES)
    args = config.model_args
    if full_size:
        args.gpt_layers, args.gpt_n_model_channels, args.gpt_n_heads = 30, 1024, 16
        args.decoder_input_dim = 1024
        args.gpt_num_audio_tokens, args.gpt_start_audio_token = 1026, 1024
        args.gpt_stop_audio_token = 1025
        config.gpt_cond_len, config.gpt_cond_chunk_len = 30, 4
    else:
        args.gpt_layers, args.gpt_n_model_channels, args.gpt_n_heads = 1, 32, 2
        args.decoder_input_dim = 32
        args.gpt_num_audio_tokens, args.gpt_start_audio_token = 66, 64
        args.gpt_stop_audio_token = 65
        config.gpt_cond_len, config.gpt_cond_chunk_len = 6, 3
    args.gpt_max_audio_tokens = max_audio_tokens
    args.gpt_max_text_tokens = 402
    args.gpt_use_perceiver_resampler = True
    args.gpt_number_text_tokens = vocab.get_vocab_size()
    args.gpt_start_text_token = vocab.token_to_id("[START]")
    args.gpt_stop_text_token = vocab.token_to_id("[STOP]")

    torch.manual_seed(seed)
    model = xtts.Xtts(config)
    torch.save({"model": model.state_dict()}, model_dir / "model.pth")
    config.save_json(str(model_dir / "config.json"))
    return model_dir
