//! Reader fuzzing: arbitrary text (e.g. a pasted assertion) gives pairs or a
//! typed error, never a panic; whatever it reads, the writer can reproduce.
#![no_main]

use libfuzzer_sys::fuzz_target;
use saml::{read_access_control, render_pairs, RenderOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(pairs) = read_access_control(text) {
        let xml = render_pairs(&pairs, &RenderOptions::default()).expect("parsed text is representable");
        assert_eq!(read_access_control(&xml).expect("own output parses"), pairs);
    }
});
