# Temporal RoI Align in causal (online) mode: not an MMTracking config. Each frame's RoIs attend to, and search the
# last feature maps of, the 14 frames before it and itself (MMTracking's test_with_fix_stride with frame_range
# [-14, 0]) instead of 14 references spread over the whole video: no video length needed, no frame read ahead. Same
# model and graphs as the offline config; the boxes differ from MMTracking's offline test (docs/vid.md, "Causal mode").
_base_ = ['./selsa_troialign_faster_rcnn_r50_dc5_7e_imagenetvid.py']
data = dict(
    test=dict(
        ref_img_sampler=dict(_delete_=True, method='test_with_fix_stride', frame_range=[-14, 0], stride=1)))
