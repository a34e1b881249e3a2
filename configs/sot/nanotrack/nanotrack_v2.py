# NanoTrack v2 (SiamTrackers project, Apache-2.0, https://github.com/HonglinChu/SiamTrackers/tree/master/NanoTrack):
# a lightweight Siamese tracker, MobileNetV3-small backbone and a depthwise BAN head predicting per-cell scores and
# ltrb distances (anchor-free, stride 16). Values from its config.yaml (TRACK.* and POINT.STRIDE); inference as
# its NanoTracker (pysot crops, BGR 0-255 input, no normalisation).
# The template (127x127) and the search region (255x255) go through the same backbone: its spatial dims are left
# open (None) here, and the loader makes them symbolic in the graph (the file declares 255x255).
exemplar_size = 127
search_size = 255
model = dict(
    type='NanoTrack',
    test_cfg=dict(
        exemplar_size=exemplar_size,
        search_size=search_size,
        context_amount=0.5,
        stride=16,
        score_size=16,  # TRAIN.OUTPUT_SIZE: (255 - 127) // 16 + 1 + BASE_SIZE 7
        rpn=dict(penalty_k=0.15, window_influence=0.49, lr=0.385)))
onnx = dict(
    backbone=dict(
        file='nanotrack-v2/backbone.onnx',
        inputs=dict(input=dict(dtype='float32', shape=[1, 3, None, None])),
        outputs=dict(output=dict(dtype='float32', shape=[1, 48, None, None]))),
    head=dict(
        file='nanotrack-v2/head.onnx',
        inputs=dict(
            input1=dict(dtype='float32', shape=[1, 48, 8, 8]),  # template features
            input2=dict(dtype='float32', shape=[1, 48, 16, 16])),  # search features
        outputs=dict(
            output1=dict(dtype='float32', shape=[1, 2, 16, 16]),  # cls (background, foreground)
            output2=dict(dtype='float32', shape=[1, 4, 16, 16]))))  # ltrb distances, search-crop pixels
