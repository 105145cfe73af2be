//! Photos: JPEG and PNG decoded whole after the header's size is checked against the pixel cap
//! (PNG with the `image` crate, JPEG with its backend zune-jpeg in strict mode, so a truncated or
//! garbled photo is refused rather than shown half grey); SVG goes to [`super::svg`].

use std::{
    fs::File,
    io::{BufReader, Read},
    path::Path,
};

use ::image::{codecs::png::PngDecoder, ImageDecoder, ImageError, Limits};
use zune_jpeg::zune_core::{bytestream::ZCursor, options::DecoderOptions};

use super::{
    extension, guarded, head, list_extensions, open_capped, svg, ImageFormat, ImageInfo,
    MediaError, IMAGE_EXTENSIONS, MAX_IMAGE_BYTES, MAX_PIXELS,
};

/// Decoding may allocate at most this much (40 MP of 16-bit RGBA would be 320 MB).
const MAX_ALLOC: u64 = 512 * 1024 * 1024;

pub(crate) fn probe_as(path: &Path, shown: &str) -> Result<ImageInfo, MediaError> {
    let Some(expected) = ImageFormat::from_extension(&extension(path)) else {
        return Err(MediaError::Extension {
            file: shown.to_owned(),
            allowed: list_extensions(IMAGE_EXTENSIONS),
        });
    };
    if expected == ImageFormat::Svg {
        return svg::probe_as(path, shown);
    }
    let (mut file, _) = open_capped(path, shown, MAX_IMAGE_BYTES)?;
    let magic = head(&mut file, shown, 8)?;
    let found = if magic.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(ImageFormat::Png)
    } else if magic.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageFormat::Jpeg)
    } else if looks_like_svg(&magic) {
        Some(ImageFormat::Svg)
    } else {
        None
    };
    match found {
        None => Err(MediaError::NotRecognised {
            file: shown.to_owned(),
            expected: if expected == ImageFormat::Png {
                "изображение PNG"
            } else {
                "изображение JPEG"
            },
            detail: "нет подписи формата в начале".to_owned(),
        }),
        Some(f) if f != expected => Err(MediaError::Mismatch {
            file: shown.to_owned(),
            expected: expected.name(),
            found: f.name(),
        }),
        Some(_) => guarded(shown, || decode(file, shown, expected)),
    }
}

fn looks_like_svg(magic: &[u8]) -> bool {
    let t = String::from_utf8_lossy(magic);
    let t = t.trim_start_matches('\u{feff}').trim_start();
    t.starts_with("<?xml") || t.starts_with("<svg")
}

fn decode(file: File, shown: &str, format: ImageFormat) -> Result<ImageInfo, MediaError> {
    if format == ImageFormat::Jpeg {
        return decode_jpeg(file, shown);
    }
    let err = |e: ImageError| match e {
        ImageError::Limits(_) => too_much_memory(shown),
        other => corrupt(shown, other.to_string()),
    };
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_ALLOC);
    let d = PngDecoder::with_limits(BufReader::new(file), limits).map_err(err)?;
    let (width, height) = d.dimensions();
    check_size(shown, width, height)?;
    let total = usize::try_from(d.total_bytes()).unwrap_or(usize::MAX);
    if total as u64 > MAX_ALLOC {
        return Err(too_much_memory(shown));
    }
    let mut buf = vec![0u8; total];
    d.read_image(&mut buf).map_err(err)?;
    Ok(ImageInfo {
        format,
        width,
        height,
    })
}

fn decode_jpeg(file: File, shown: &str) -> Result<ImageInfo, MediaError> {
    let mut data = Vec::new();
    file.take(MAX_IMAGE_BYTES)
        .read_to_end(&mut data)
        .map_err(|source| MediaError::Io {
            file: shown.to_owned(),
            source,
        })?;
    let options = DecoderOptions::default()
        .set_strict_mode(true)
        .set_max_width(usize::from(u16::MAX))
        .set_max_height(usize::from(u16::MAX));
    let mut d = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(data.as_slice()), options);
    let jpeg_err = |e: zune_jpeg::errors::DecodeErrors| {
        let text = e.to_string();
        if ["Premature end", "No more bytes", "Exhausted data"]
            .iter()
            .any(|t| text.contains(t))
        {
            corrupt(
                shown,
                "данные изображения обрываются (файл обрезан)".to_owned(),
            )
        } else {
            corrupt(shown, format!("ошибка JPEG: {text}"))
        }
    };
    d.decode_headers().map_err(jpeg_err)?;
    let Some(info) = d.info() else {
        return Err(corrupt(shown, "нет заголовка JPEG".to_owned()));
    };
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    check_size(shown, width, height)?;
    let total = d.output_buffer_size().unwrap_or(usize::MAX);
    if total as u64 > MAX_ALLOC {
        return Err(too_much_memory(shown));
    }
    let mut buf = vec![0u8; total];
    d.decode_into(&mut buf).map_err(jpeg_err)?;
    Ok(ImageInfo {
        format: ImageFormat::Jpeg,
        width,
        height,
    })
}

fn check_size(shown: &str, width: u32, height: u32) -> Result<(), MediaError> {
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(MediaError::TooManyPixels {
            file: shown.to_owned(),
            width,
            height,
        });
    }
    if width == 0 || height == 0 {
        return Err(corrupt(shown, format!("размер {width}×{height}")));
    }
    Ok(())
}

fn corrupt(shown: &str, detail: String) -> MediaError {
    MediaError::Corrupt {
        file: shown.to_owned(),
        detail,
    }
}

fn too_much_memory(shown: &str) -> MediaError {
    corrupt(
        shown,
        "для декодирования нужно слишком много памяти".to_owned(),
    )
}
