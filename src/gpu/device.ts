/**
 * WebGPU device and buffer helpers shared by the kernels. Kernels take and return tightly packed
 * float32/int32/uint32 `GPUBuffer`s, the layout `ort.Tensor.fromGpuBuffer` and ORT's `gpu-buffer`
 * outputs use, so a kernel can sit between two ORT sessions without a read-back.
 */

/** Usage of every buffer a kernel returns: bindable as storage, readable back, writable. */
export const KERNEL_BUFFER_USAGE = 0x80 /* STORAGE */ | 0x04 /* COPY_SRC */ | 0x08; /* COPY_DST */

/** WebGPU forbids zero-size bindings and wants 4-byte multiples: kernels allocate at least this many bytes. */
const MIN_BUFFER_BYTES = 16;

/** Limits raised to the adapter's maximum: those onnxruntime-web asks for on its own device, so sharing ours costs ORT nothing. */
const RAISED_LIMITS = [
  'maxComputeWorkgroupStorageSize',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ',
  'maxStorageBuffersPerShaderStage',
] as const;

/** Optional features ORT's WebGPU backends use when present. */
const OPTIONAL_FEATURES: GPUFeatureName[] = ['shader-f16', 'timestamp-query', 'subgroups'];

/** Device descriptor with the adapter's largest limits (see `RAISED_LIMITS`) and ORT's optional features. */
export function deviceDescriptor(adapter: GPUAdapter): GPUDeviceDescriptor {
  const requiredLimits: Record<string, number> = {};
  for (const name of RAISED_LIMITS) requiredLimits[name] = adapter.limits[name];
  return { requiredLimits, requiredFeatures: OPTIONAL_FEATURES.filter((f) => adapter.features.has(f)) };
}

/**
 * Requests a device in the browser (or a worker) with the adapter's largest limits: the NMS IoU bit
 * matrix for 10 000+ boxes and large feature maps need more than the 128 MiB default binding. Share it
 * with onnxruntime-web by setting `ort.env.webgpu.device` before the first session.
 */
export async function requestGpuDevice(gpu: GPU = navigator.gpu): Promise<GPUDevice> {
  if (!(gpu as GPU | undefined)) throw new Error('WebGPU is not available in this browser (navigator.gpu is undefined)');
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('WebGPU: no adapter available (GPU blocklisted or WebGPU disabled)');
  return adapter.requestDevice(deviceDescriptor(adapter));
}

function paddedSize(byteLength: number): number {
  return Math.max(MIN_BUFFER_BYTES, Math.ceil(byteLength / 4) * 4);
}

/** An uninitialised kernel buffer of at least `byteLength` bytes (zero-filled, as WebGPU guarantees). */
export function createKernelBuffer(device: GPUDevice, byteLength: number, label: string): GPUBuffer {
  return device.createBuffer({ label, size: paddedSize(byteLength), usage: KERNEL_BUFFER_USAGE });
}

/** A kernel buffer holding a copy of `data`. */
export function uploadBuffer(device: GPUDevice, data: Float32Array | Int32Array | Uint32Array, label: string): GPUBuffer {
  const buffer = device.createBuffer({ label, size: paddedSize(data.byteLength), usage: KERNEL_BUFFER_USAGE, mappedAtCreation: true });
  const Ctor = data.constructor as Float32ArrayConstructor | Int32ArrayConstructor | Uint32ArrayConstructor;
  new Ctor(buffer.getMappedRange(0, data.byteLength)).set(data);
  buffer.unmap();
  return buffer;
}

interface TypedArrayCtor<T> {
  readonly BYTES_PER_ELEMENT: number;
  new (buffer: ArrayBuffer): T;
}

/**
 * Reads `length` elements (default: the whole buffer) back to the CPU. This is the one place a kernel
 * result leaves the GPU; inside a frame only the final boxes should come through here.
 */
export async function readBuffer<T extends Float32Array | Int32Array | Uint32Array>(
  device: GPUDevice,
  buffer: GPUBuffer,
  ctor: TypedArrayCtor<T>,
  length = Math.floor(buffer.size / ctor.BYTES_PER_ELEMENT),
): Promise<T> {
  const byteLength = length * ctor.BYTES_PER_ELEMENT;
  if (byteLength > buffer.size) throw new Error(`readBuffer: ${length} elements (${byteLength} bytes) from a ${buffer.size}-byte buffer "${buffer.label}"`);
  if (length === 0) return new ctor(new ArrayBuffer(0));
  const staging = device.createBuffer({ label: `${buffer.label} (read-back)`, size: paddedSize(byteLength), usage: 0x01 /* MAP_READ */ | 0x08 /* COPY_DST */ });
  const encoder = device.createCommandEncoder({ label: 'readBuffer' });
  encoder.copyBufferToBuffer(buffer, 0, staging, 0, byteLength);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(0x0001 /* GPUMapMode.READ */);
  const out = new ctor(staging.getMappedRange(0, byteLength).slice(0));
  staging.unmap();
  staging.destroy();
  return out;
}
