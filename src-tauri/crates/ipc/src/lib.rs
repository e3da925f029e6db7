//! DTOs and the error envelope that cross the Tauri IPC boundary; TypeScript types are generated from here
