/**
 * Build-time only: loads DJL's PyTorch engine once so its native libraries are extracted (or, for GPU flavours,
 * fetched) into DJL_CACHE_DIR inside the image, and the container starts without unpacking or downloading anything.
 */
public class WarmDjl {
    public static void main(String[] args) {
        ai.djl.engine.Engine engine = ai.djl.engine.Engine.getEngine("PyTorch");
        System.out.println("DJL " + engine.getEngineName() + " " + engine.getVersion() + " natives in "
                + System.getenv("DJL_CACHE_DIR") + " (GPUs visible at build: " + engine.getGpuCount() + ")");
    }
}
